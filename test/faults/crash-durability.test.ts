/**
 * Crash durability: concurrent writers (Connect Create, Update, Delete and Sync, over gRPC and
 * Connect) against a real backend process on a SQLite file, which is killed with SIGKILL at random
 * moments and restarted on the same file, NETGUARD_FAULT_CYCLES times (default 5).
 *
 * After every kill the store file itself is checked (whole commits only, derived data up to date);
 * at the end every acknowledged write is in the event log at the version its answer named, the log
 * (read through Watch) has every version exactly once, writes that got no answer are wholly there or
 * wholly absent, and the backend lists exactly what the writers believe.
 */
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { clientFor, tempDir, type Protocol } from "../helpers/backend-harness.ts";
import { createAckedWriter, WRITER_NAMESPACE } from "./acked-writers.ts";
import { createVia } from "./backend-calls.ts";
import { ackViolations, logViolations, readEventLog } from "./event-log.ts";
import { backendProcess } from "./fault-processes.ts";
import { faultCycles, faultSeed, seededRandom } from "./seeded-random.ts";
import { checkStoreFile } from "./store-check.ts";
import { finalStateViolations } from "./writer-state.ts";

const CYCLES = faultCycles(5);
const WRITERS = 4;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe("crash durability (backend kill -9 under concurrent writers)", () => {
  test(
    "acknowledged writes survive with their resourceVersion, the log has no gap or repeat, no commit is partial",
    async () => {
      const seed = faultSeed();
      console.log(`crash-durability: seed ${seed} (NETGUARD_FAULT_SEED), ${CYCLES} kill -9 cycles (NETGUARD_FAULT_CYCLES)`);
      const rng = seededRandom(seed);
      const dir = tempDir();
      const storePath = join(dir.path, "netguard.db");
      // A small ring: after a restart watchers (and the log read below) are served from the durable log.
      const backend = await backendProcess({ storePath, env: { NETGUARD_RING_CAPACITY: "256" } });
      const stop = new AbortController();
      let runs: Promise<void>[] = [];
      try {
        await backend.start();
        const client = clientFor(backend.url, "grpc");
        const first = await createVia(
          client,
          { apiVersion: "netguard.sgroups.io/v1beta1", kind: "AddressGroup", metadata: { name: "seed", namespace: WRITER_NAMESPACE }, spec: { defaultAction: "ACCEPT" } },
          10_000,
        );
        expect(first.metadata.resourceVersion).toBe("1");

        const protocols: Protocol[] = ["grpc", "connect"];
        const writers = Array.from({ length: WRITERS }, (_, i) =>
          createAckedWriter(i, { client: clientFor(backend.url, protocols[i % 2]), rng: rng.fork(), callTimeoutMs: 10_000, recoverTimeoutMs: 40_000 }),
        );
        runs = writers.map((w) => w.run(stop.signal));
        const acked = () => writers.reduce((n, w) => n + w.stats.acked, 0);

        const storeViolations: string[] = [];
        const ackedAtKill: number[] = [];
        for (let cycle = 1; cycle <= CYCLES; cycle++) {
          await sleep(rng.int(400, 1200));
          await backend.kill9();
          ackedAtKill.push(acked());
          const check = await checkStoreFile(storePath);
          for (const v of check.violations) storeViolations.push(`after kill ${cycle} (store rv ${check.rv}): ${v}`);
          await backend.start();
          // The next kill only after the writers got answers from this incarnation (not vacuous).
          const before = ackedAtKill.at(-1)!;
          const until = Date.now() + 20_000;
          while (acked() <= before) {
            if (Date.now() > until) throw new Error(`no write was acknowledged within 20 s of restart ${cycle}`);
            await sleep(50);
          }
        }
        await sleep(500);
        stop.abort();
        await Promise.all(runs);

        const log = await readEventLog(client, 1);
        const acks = writers.flatMap((w) => w.acks);
        const logProblems = logViolations(log.events, 1, log.currentRv);
        const ackProblems = ackViolations(acks, log.events);
        const stateProblems = await finalStateViolations(client, writers);
        const writerProblems = writers.flatMap((w) => w.violations);
        const total = (f: (s: (typeof writers)[number]["stats"]) => number) => writers.reduce((n, w) => n + f(w.stats), 0);
        console.log(
          `crash-durability: ${CYCLES} kills, ${backend.starts} starts; ${total((s) => s.attempts)} writes, ${total((s) => s.acked)} acknowledged ` +
            `(${acks.length} with a resourceVersion, all checked against the log), ${total((s) => s.uncertain)} unanswered ` +
            `(${total((s) => s.foundApplied)} found applied, ${total((s) => s.foundAbsent)} absent, none partial); ` +
            `log rv 1..${log.currentRv}: ${log.events.length + 1} events, ${ackProblems.length} of ${acks.length} acknowledged missing or wrong; acknowledged at each kill: ${ackedAtKill.join(", ")}`,
        );
        expect(storeViolations).toEqual([]);
        expect(writerProblems).toEqual([]);
        expect(logProblems).toEqual([]);
        expect(ackProblems).toEqual([]);
        expect(stateProblems).toEqual([]);
        // Not vacuous: writes were acknowledged between every pair of kills.
        expect(total((s) => s.acked)).toBeGreaterThan(CYCLES * 10);
        for (let i = 1; i < ackedAtKill.length; i++) expect(ackedAtKill[i]!).toBeGreaterThan(ackedAtKill[i - 1]!);
      } catch (e) {
        console.error(`backend output:\n${backend.tail()}`);
        throw e;
      } finally {
        stop.abort();
        await backend.stop();
        await Promise.allSettled(runs);
        dir.cleanup();
      }
    },
    30_000 + CYCLES * 8_000,
  );
});
