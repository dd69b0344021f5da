/**
 * Exactly-once watch across faults. Real processes: a backend on a SQLite file and an API server
 * (streaming mode) that reaches it through a chaos proxy; writers write to the backend directly all
 * the time. Watch clients — backend Watch RPC clients (through the same proxy) and Kubernetes API
 * watch clients, one of each per watched kind — resume from their last resourceVersion after every
 * disconnect, as informers do, and relist only on 410 / OUT_OF_RANGE.
 *
 * Faults: the proxy cuts, stalls and delays the backend traffic at random the whole time (seeded),
 * plus NETGUARD_FAULT_CYCLES (default 5, at least 4) heavier faults in turn: backend kill -9 and
 * restart, API server kill -9 and restart, backend SIGSTOP for a few seconds then SIGCONT, and a
 * burst of proxy cuts around a long stall.
 *
 * Afterwards each client's events, segment by segment, are exactly the backend log's events of its
 * kind (no gap, no repeat, in order), and its view equals the backend's list.
 */
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { kindByName } from "../../src/kinds/kind-table.ts";
import { objectKey } from "../../src/kinds/model.ts";
import { clientFor, tempDir } from "../helpers/backend-harness.ts";
import { createAckedWriter, WRITER_NAMESPACE } from "./acked-writers.ts";
import { createVia, listAll } from "./backend-calls.ts";
import { runChaos, startChaosProxy, type ChaosProxy } from "./chaos-proxy.ts";
import { ackViolations, logViolations, readEventLog, type LogEvent } from "./event-log.ts";
import { apiServerProcess, backendProcess, type RestartableProcess } from "./fault-processes.ts";
import { runHttpWatcher } from "./resuming-http-watcher.ts";
import { runRpcWatcher } from "./resuming-rpc-watcher.ts";
import { faultCycles, faultSeed, seededRandom, type SeededRandom } from "./seeded-random.ts";
import { trackerLogViolations, trackerStateViolations, type WatchTracker } from "./watch-tracker.ts";

const FAULTS = Math.max(4, faultCycles(5));
const WATCHED = ["AddressGroup", "AddressGroupPortMapping", "Service", "AddressGroupBinding"].map((k) => kindByName(k)!);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

type Fault = "backend kill -9" | "API server kill -9" | "backend SIGSTOP" | "proxy cut burst";
const EVERY_FAULT: Fault[] = ["backend kill -9", "API server kill -9", "backend SIGSTOP", "proxy cut burst"];

async function inject(fault: Fault, rng: SeededRandom, backend: RestartableProcess, api: RestartableProcess, proxy: ChaosProxy): Promise<void> {
  switch (fault) {
    case "backend kill -9":
      await backend.kill9();
      await sleep(rng.int(0, 500));
      await backend.start();
      return;
    case "API server kill -9":
      await api.kill9();
      await sleep(rng.int(0, 500));
      await api.start();
      return;
    case "backend SIGSTOP":
      backend.pause();
      await sleep(rng.int(2000, 3500));
      backend.resume();
      return;
    case "proxy cut burst":
      proxy.cut();
      proxy.stall(rng.int(1000, 2000));
      await sleep(rng.int(300, 800));
      proxy.cut();
      return;
  }
}

/** Waits until every tracker has reached the newest event of its kind in the log. */
async function converge(trackers: WatchTracker[], log: readonly LogEvent[], timeoutMs: number): Promise<void> {
  const newest = new Map<string, number>();
  for (const e of log) newest.set(e.kind, Math.max(newest.get(e.kind) ?? 0, e.rv));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const behind = trackers.filter((t) => t.rv < (newest.get(t.kind) ?? 0));
    if (!behind.length) return;
    if (Date.now() > deadline) throw new Error(`watchers did not catch up: ${behind.map((t) => `${t.label} at ${t.rv} (newest ${newest.get(t.kind)})`).join(", ")}`);
    await sleep(100);
  }
}

describe("exactly-once watch across faults", () => {
  test(
    "resuming RPC and Kubernetes API watchers see every change once, in order, through kills, pauses and a damaged network",
    async () => {
      const seed = faultSeed();
      console.log(`watch-exactly-once: seed ${seed} (NETGUARD_FAULT_SEED), ${FAULTS} heavy faults (NETGUARD_FAULT_CYCLES) plus background proxy chaos`);
      const rng = seededRandom(seed);
      const dir = tempDir();
      const backend = await backendProcess({ storePath: join(dir.path, "netguard.db"), env: { NETGUARD_RING_CAPACITY: "256" } });
      const stopWriters = new AbortController();
      const stopWatchers = new AbortController();
      const stopChaos = new AbortController();
      let proxy: ChaosProxy | undefined;
      let api: RestartableProcess | undefined;
      const pending: Promise<unknown>[] = [];
      try {
        await backend.start();
        proxy = await startChaosProxy(backend.port);
        api = await apiServerProcess(`127.0.0.1:${proxy.port}`, { WATCH_CACHE_CAPACITY: "512" });
        await api.start();
        const direct = clientFor(backend.url, "grpc");
        const seedObj = await createVia(
          direct,
          { apiVersion: "netguard.sgroups.io/v1beta1", kind: "AddressGroup", metadata: { name: "seed", namespace: WRITER_NAMESPACE }, spec: { defaultAction: "ACCEPT" } },
          10_000,
        );
        expect(seedObj.metadata.resourceVersion).toBe("1");

        const proxied = clientFor(`http://127.0.0.1:${proxy.port}`, "grpc");
        const apiUrl = api.url;
        const watchers = WATCHED.flatMap((k) => [
          runRpcWatcher(proxied, k, `RPC watch ${k.kind}`, stopWatchers.signal),
          runHttpWatcher(() => apiUrl, k, `API watch ${k.plural}`, stopWatchers.signal),
        ]);
        pending.push(...watchers.map((w) => w.done));
        const writers = [0, 1].map((i) =>
          createAckedWriter(i, { client: clientFor(backend.url, i ? "connect" : "grpc"), rng: rng.fork(), callTimeoutMs: 15_000, recoverTimeoutMs: 40_000, pauseMs: 5 }),
        );
        const writing = writers.map((w) => w.run(stopWriters.signal));
        pending.push(...writing);
        const chaos = runChaos(proxy, rng.fork(), stopChaos.signal);
        pending.push(chaos);

        const faults = [...EVERY_FAULT];
        while (faults.length < FAULTS) faults.push(rng.pick(EVERY_FAULT));
        for (const f of faults) {
          await sleep(rng.int(800, 1500));
          await inject(f, rng, backend, api, proxy);
        }
        await sleep(1000);
        stopChaos.abort();
        await chaos;
        stopWriters.abort();
        await Promise.all(writing);

        const log = await readEventLog(direct, 1);
        const trackers = watchers.map((w) => w.tracker);
        await converge(trackers, log.events, 30_000);
        const listed = new Map<string, Map<string, number>>();
        for (const k of WATCHED) {
          const { items } = await listAll(direct, k, 10_000);
          listed.set(k.kind, new Map(items.map((o) => [objectKey(o.metadata.namespace, o.metadata.name), Number(o.metadata.resourceVersion)])));
        }
        stopWatchers.abort();
        await Promise.all(watchers.map((w) => w.done));

        const problems = [
          ...logViolations(log.events, 1, log.currentRv),
          ...ackViolations(writers.flatMap((w) => w.acks), log.events),
          ...writers.flatMap((w) => w.violations),
          ...trackers.flatMap((t) => t.violations),
          ...trackers.flatMap((t) => trackerLogViolations(t, log.events)),
          ...trackers.flatMap((t) => trackerStateViolations(t, listed.get(t.kind)!)),
        ];
        const sum = (f: (t: WatchTracker) => number) => trackers.reduce((n, t) => n + f(t), 0);
        const httpErrors = new Map<number, number>();
        for (const w of watchers) for (const [code, n] of (w as { errorEvents?: Map<number, number> }).errorEvents ?? []) httpErrors.set(code, (httpErrors.get(code) ?? 0) + n);
        const c = proxy.counts();
        console.log(
          `watch-exactly-once: faults ${faults.join(", ")}; proxy: ${c.connections} connections, ${c.cuts} cuts (${c.connectionsCut} connections), ${c.stalls} stalls, ${c.delays} delay spells; ` +
            `backend started ${backend.starts}×, API server ${api.starts}×; ${writers.reduce((n, w) => n + w.stats.acked, 0)} writes acknowledged, log rv 1..${log.currentRv}; ` +
            `${trackers.length} watchers received ${sum((t) => t.events)} events (checked one by one against the log), ${sum((t) => t.resumes)} resumes, ${sum((t) => t.relists)} relists; ` +
            `API ERROR events by code: ${JSON.stringify(Object.fromEntries(httpErrors))}; ${problems.length} problems`,
        );
        expect(problems).toEqual([]);
        // Not vacuous: every watcher saw changes, and the faults reached both kinds of client.
        for (const t of trackers) expect(t.events).toBeGreaterThan(0);
        expect(trackers.filter((t) => t.label.startsWith("RPC")).every((t) => t.resumes > 0)).toBe(true);
        expect(trackers.filter((t) => t.label.startsWith("API")).every((t) => t.resumes > 0)).toBe(true);
      } catch (e) {
        console.error(`backend output:\n${backend.tail()}\nAPI server output:\n${api?.tail() ?? ""}`);
        throw e;
      } finally {
        stopChaos.abort();
        stopWriters.abort();
        stopWatchers.abort();
        await api?.stop();
        await backend.stop();
        await proxy?.close();
        await Promise.allSettled(pending);
        dir.cleanup();
      }
    },
    60_000 + FAULTS * 10_000,
  );
});
