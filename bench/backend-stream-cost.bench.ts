/**
 * Backend CPU per streamed event, against what polling costs it — the backend side of issue 15's
 * "streaming ÷ polling backend CPU" figure, without API servers or watch clients in the way.
 *
 *   bun run bench/backend-stream-cost.bench.ts [--quick] [--baseline DIR]
 *
 * `--baseline DIR` also runs a backend from another checkout (e.g. `git archive <commit>` unpacked
 * with node_modules linked), interleaved round by round with this one: before/after in one run.
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
import { installCleanupHandlers, runBenchmark } from "./system/cleanup.ts";
import { median } from "./system/latency.ts";
import { sampleProc } from "./system/proc-stats.ts";
import { startBackendProc } from "./system/stack.ts";
import { NetguardService } from "../src/gen/netguard/v1/service_pb.ts";
import { loadavg } from "node:os";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const baselineDir = args.includes("--baseline") ? args[args.indexOf("--baseline") + 1] : undefined;
const RATE = 100;
const SECONDS = quick ? 5 : 10;
const ROUNDS = 3;
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

interface Target {
  label: string;
  pid: number;
  port: number;
  stop(): Promise<void>;
}

async function startTarget(label: string, root?: string): Promise<Target> {
  const backend = await startBackendProc("memory:", undefined, root);
  const writer = createBackendWriter(backend.port);
  await writer.syncUpsert(Array.from({ length: OBJECTS }, (_, i) => benchService(NS, i, "preloaded")));
  return { label, pid: backend.child.pid, port: backend.port, stop: () => backend.child.stop() };
}

let tag = 0;

/** One window of paced writes against `t` with variant `v` attached; the backend's CPU seconds. */
async function window(t: Target, v: Variant): Promise<number> {
  const writer = createBackendWriter(t.port);
  const client = createClient(NetguardService, createGrpcTransport({ baseUrl: `http://127.0.0.1:${t.port}` }));
  const stop = new AbortController();
  let received = 0;
  const rv = await writer.currentRv();
  const streams = Array.from({ length: v.streams }, async () => {
    try {
      // The API server's request shape (stream-source.ts): resume from a position, bookmarks allowed.
      for await (const ev of client.watchServices({ resourceVersion: rv, allowBookmarks: true }, { signal: stop.signal })) if (ev.resource) received++;
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
  const a = sampleProc(t.pid)!;
  const paced = await pacedUpdates(writer, { namespace: NS, objects: OBJECTS, rate: RATE, count: RATE * SECONDS, tag: `cost-${tag++}` });
  const expected = paced.acks.length * v.streams;
  for (let waited = 0; received < expected && waited < 5000; waited += 20) await new Promise((r) => setTimeout(r, 20));
  const b = sampleProc(t.pid)!;
  stop.abort();
  await Promise.all(streams);
  await poller;
  if (received < expected) console.error(`  ${t.label}, ${v.name}: only ${received} of ${expected} events arrived`);
  return b.cpuSeconds - a.cpuSeconds;
}

async function main(): Promise<void> {
  installCleanupHandlers();
  const targets = [await startTarget("this checkout")];
  if (baselineDir) targets.push(await startTarget(`baseline (${baselineDir})`, baselineDir));
  const cpu = new Map<string, number[]>();
  for (let round = 0; round < ROUNDS; round++) {
    // Each round starts with a different variant, so warm-up and load drift do not favour one.
    const order = VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length]!);
    for (const v of order) {
      for (const t of targets) {
        const s = await window(t, v);
        const key = `${t.label}\u0000${v.name}`;
        cpu.set(key, [...(cpu.get(key) ?? []), s]);
        console.error(`  round ${round + 1}, ${t.label}, ${v.name}: backend CPU ${s.toFixed(2)} s`);
      }
    }
  }
  for (const t of targets) await t.stop();
  const writes = RATE * SECONDS;
  const rows = targets.flatMap((t) => {
    const base = median(cpu.get(`${t.label}\u0000${VARIANTS[0]!.name}`)!);
    return VARIANTS.map((v) => {
      const c = median(cpu.get(`${t.label}\u0000${v.name}`)!);
      const extraUs = ((c - base) * 1e6) / writes;
      return { backend: t.label, variant: v.name, cpu_s: Number(c.toFixed(3)), extra_us_per_write: Math.round(extraUs), extra_us_per_event_per_stream: v.streams ? Math.round(extraUs / v.streams) : null };
    });
  });
  console.log(`backend CPU under ${RATE} Updates/s for ${SECONDS} s (${ROUNDS} rounds, medians, backends interleaved), 1,000 Services, memory store; "extra" = above the writes alone; 1-min load ${loadavg()[0]!.toFixed(2)}`);
  console.log(`${"backend".padEnd(24)}${"variant".padEnd(28)}${"CPU (s)".padStart(10)}${"extra µs/write".padStart(18)}${"µs/event/stream".padStart(18)}`);
  for (const r of rows) {
    console.log(
      `${r.backend.slice(0, 22).padEnd(24)}${r.variant.padEnd(28)}${r.cpu_s.toFixed(2).padStart(10)}${String(r.extra_us_per_write).padStart(18)}${String(r.extra_us_per_event_per_stream ?? "").padStart(18)}`,
    );
  }
  console.log(JSON.stringify({ rate: RATE, seconds: SECONDS, rounds: ROUNDS, load: loadavg()[0], variants: rows }));
}

await runBenchmark(main);
