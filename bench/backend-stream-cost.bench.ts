/**
 * Backend CPU per streamed event, against what polling costs it — the backend side of issue 15's
 * "streaming ÷ polling backend CPU" figure, without API servers or watch clients in the way.
 *
 *   bun run bench/backend-stream-cost.bench.ts [--quick]
 *
 * One real backend process (memory store, 1,000 Services). For each variant, in the same run, the
 * same paced Updates (`rate`/s for `seconds`) while this process holds:
 *  - nothing (the cost of the writes alone);
 *  - 1, 4 and 16 Watch streams on Services (what 1, 4 or 16 streaming API servers or workers cost);
 *  - a poller: one List of every Service each `pollMs` (what one polling API server costs).
 * The backend's CPU is read from /proc over each window; figures are medians of `rounds` rounds.
 * Prints a table and, last, one JSON line.
 */
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { benchService, createBackendWriter, pacedUpdates } from "./system/backend-writer.ts";
import { installCleanupHandlers, runCleanup } from "./system/cleanup.ts";
import { median } from "./system/latency.ts";
import { sampleProc } from "./system/proc-stats.ts";
import { startBackendProc } from "./system/stack.ts";
import { NetguardService } from "../src/gen/netguard/v1/service_pb.ts";

const quick = process.argv.includes("--quick");
const RATE = 100;
const SECONDS = quick ? 5 : 10;
const ROUNDS = quick ? 1 : 3;
const POLL_MS = 5000;
const OBJECTS = 1000;
const NS = "bench";

type Variant = { name: string; streams: number; poll: boolean };
const VARIANTS: Variant[] = [
  { name: "writes only", streams: 0, poll: false },
  { name: "1 Watch stream", streams: 1, poll: false },
  { name: "4 Watch streams", streams: 4, poll: false },
  { name: "16 Watch streams", streams: 16, poll: false },
  { name: `polling (List every ${POLL_MS / 1000} s)`, streams: 0, poll: true },
];

async function main(): Promise<void> {
  installCleanupHandlers();
  const backend = await startBackendProc("memory:");
  const writer = createBackendWriter(backend.port);
  await writer.syncUpsert(Array.from({ length: OBJECTS }, (_, i) => benchService(NS, i, "preloaded")));
  const client = createClient(NetguardService, createGrpcTransport({ baseUrl: `http://127.0.0.1:${backend.port}` }));
  const cpu = new Map<string, number[]>();
  let tag = 0;
  for (let round = 0; round < ROUNDS; round++) {
    for (const v of VARIANTS) {
      const stop = new AbortController();
      let received = 0;
      const rv = await writer.currentRv();
      const streams = Array.from({ length: v.streams }, async () => {
        try {
          for await (const _ of client.watchServices({ resourceVersion: rv, allowBookmarks: true }, { signal: stop.signal })) received++;
        } catch {
          // aborted at the end of the window
        }
      });
      const poller = v.poll
        ? (async () => {
            while (!stop.signal.aborted) {
              await client.listServices({}).catch(() => undefined);
              await new Promise((r) => setTimeout(r, POLL_MS));
            }
          })()
        : undefined;
      await new Promise((r) => setTimeout(r, 300));
      const a = sampleProc(backend.child.pid)!;
      const paced = await pacedUpdates(writer, { namespace: NS, objects: OBJECTS, rate: RATE, count: RATE * SECONDS, tag: `cost-${tag++}` });
      const b = sampleProc(backend.child.pid)!;
      stop.abort();
      await Promise.all(streams);
      await poller;
      if (v.streams && received < paced.acks.length * v.streams) console.error(`  ${v.name}: only ${received} of ${paced.acks.length * v.streams} events arrived`);
      const s = b.cpuSeconds - a.cpuSeconds;
      cpu.set(v.name, [...(cpu.get(v.name) ?? []), s]);
      console.error(`  round ${round + 1}, ${v.name}: backend CPU ${s.toFixed(2)} s for ${paced.acks.length} writes`);
    }
  }
  await backend.child.stop();
  const base = median(cpu.get(VARIANTS[0]!.name)!);
  const writes = RATE * SECONDS;
  const rows = VARIANTS.map((v) => {
    const c = median(cpu.get(v.name)!);
    const extraUs = ((c - base) * 1e6) / writes;
    return { variant: v.name, cpu_s: Number(c.toFixed(3)), extra_us_per_write: Math.round(extraUs), extra_us_per_event_per_stream: v.streams ? Math.round(extraUs / v.streams) : null };
  });
  console.log(`backend CPU under ${RATE} Updates/s for ${SECONDS} s (${ROUNDS} round(s), medians), 1,000 Services, memory store; "extra" = above the writes alone`);
  console.log(`${"variant".padEnd(28)}${"CPU (s)".padStart(10)}${"extra µs/write".padStart(18)}${"µs/event/stream".padStart(18)}`);
  for (const r of rows) {
    console.log(`${r.variant.padEnd(28)}${r.cpu_s.toFixed(2).padStart(10)}${String(r.extra_us_per_write).padStart(18)}${String(r.extra_us_per_event_per_stream ?? "").padStart(18)}`);
  }
  console.log(JSON.stringify({ rate: RATE, seconds: SECONDS, rounds: ROUNDS, variants: rows }));
}

try {
  await main();
  await runCleanup();
  process.exit(0);
} catch (e) {
  console.error(`benchmark failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  await runCleanup();
  process.exit(1);
}
