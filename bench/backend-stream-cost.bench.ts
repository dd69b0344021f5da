/**
 * Backend CPU per streamed event, against what polling costs it — the backend side of issue 15's
 * "streaming ÷ polling backend CPU" figure, without API servers or watch clients in the way.
 *
 *   bun run bench/backend-stream-cost.bench.ts [--quick] [--baseline DIR]
 *
 * `--baseline DIR` also runs a backend from another checkout (e.g. `git archive <commit>` unpacked
 * with node_modules linked), window by window beside this one: before/after in one run.
 * One real backend process (memory store, 1,000 Services) takes paced Updates (100/s) in short
 * windows of 2 s, while this process holds:
 *  - nothing (the cost of the writes alone: every other window);
 *  - 1, 4 and 16 Watch streams on Services (what 1, 4 or 16 streaming API servers or workers cost);
 *  - one List of every Service (what a polling API server costs once per interval).
 * The backend's CPU is read from /proc over each window. One window of the same writes moves by
 * 20–30% on this shared machine, even with the backend alone on its CPU, which is as much as a
 * stream costs: medians of a few long windows per variant came out in any order (a poller below
 * the writes alone). So every variant window sits between two writes-only windows and counts as its
 * difference from their mean (paired-windows.ts), over many cycles; the table gives the median and
 * quartiles of those differences. Where taskset works the backend runs alone on the last CPU and
 * this process (writer, streams, List calls) on the others. The streams ask what the API server
 * asks (stream-source.ts, backend-client.ts): a resume position, bookmarks, batched messages, gzip.
 * Prints a table and, last, one JSON line.
 */
import { createClient } from "@connectrpc/connect";
import { compressionGzip, createGrpcTransport } from "@connectrpc/connect-node";
import { benchService, createBackendWriter, pacedUpdates } from "./system/backend-writer.ts";
import { installCleanupHandlers, runBenchmark } from "./system/cleanup.ts";
import { median } from "./system/latency.ts";
import { cycleOrder, pairedExtras, type MeasuredWindow } from "./system/paired-windows.ts";
import { sampleProc } from "./system/proc-stats.ts";
import { startBackendProc } from "./system/stack.ts";
import { canPin, pinProcess } from "./system/cpu-pin.ts";
import { NetguardService } from "../src/gen/netguard/v1/service_pb.ts";
import { cpus, loadavg } from "node:os";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const baselineDir = args.includes("--baseline") ? args[args.indexOf("--baseline") + 1] : undefined;
const RATE = 100;
/** Short windows, many of them: see paired-windows.ts. */
const WINDOW_S = 2;
const CYCLES = quick ? 3 : 10;
const POLL_MS = 5000;
const OBJECTS = 1000;
const NS = "bench";
/** The backend alone on the last CPU, this process on the others (when taskset can do it). */
const pinned = canPin();

type Variant = { name: string; streams: number; poll: boolean };
const BASELINE: Variant = { name: "writes only", streams: 0, poll: false };
const VARIANTS: Variant[] = [
  { name: "1 Watch stream", streams: 1, poll: false },
  { name: "4 Watch streams", streams: 4, poll: false },
  { name: "16 Watch streams", streams: 16, poll: false },
  { name: `one List of ${OBJECTS.toLocaleString("en-US")} Services`, streams: 0, poll: true },
];

interface Target {
  label: string;
  pid: number;
  writer: ReturnType<typeof createBackendWriter>;
  client: ReturnType<typeof createClient<typeof NetguardService>>;
  windows: MeasuredWindow[];
  stop(): Promise<void>;
}

async function startTarget(label: string, root?: string): Promise<Target> {
  const backend = await startBackendProc("memory:", undefined, root);
  const writer = createBackendWriter(backend.port);
  await writer.syncUpsert(Array.from({ length: OBJECTS }, (_, i) => benchService(NS, i, "preloaded")));
  if (pinned) pinProcess(backend.child.pid, String(cpus().length - 1));
  // The API server's client settings (src/runtime/grpc-session.ts): gzip accepted for large messages.
  const client = createClient(NetguardService, createGrpcTransport({ baseUrl: `http://127.0.0.1:${backend.port}`, acceptCompression: [compressionGzip] }));
  return { label, pid: backend.child.pid, writer, client, windows: [], stop: () => backend.child.stop() };
}

let tag = 0;

/**
 * One window of paced writes against `t` with variant `v` attached; the backend's CPU seconds.
 * Streams open before the window and end after their last event; a List runs inside the window.
 */
async function window(t: Target, v: Variant): Promise<number> {
  const stop = new AbortController();
  let received = 0;
  const rv = await t.writer.currentRv();
  const streams = Array.from({ length: v.streams }, async () => {
    try {
      // The API server's request shape: resume from a position, bookmarks allowed, batched messages.
      for await (const ev of t.client.watchServices({ resourceVersion: rv, allowBookmarks: true, batch: true }, { signal: stop.signal })) {
        received += ev.events.length || (ev.resource ? 1 : 0);
      }
    } catch {
      // aborted at the end of the window
    }
  });
  await new Promise((r) => setTimeout(r, 200));
  const a = sampleProc(t.pid)!;
  const listing = v.poll ? t.client.listServices({}).catch(() => undefined) : undefined;
  const paced = await pacedUpdates(t.writer, { namespace: NS, objects: OBJECTS, rate: RATE, count: RATE * WINDOW_S, tag: `cost-${tag++}` });
  await listing;
  const expected = paced.acks.length * v.streams;
  for (let waited = 0; received < expected && waited < 5000; waited += 10) await new Promise((r) => setTimeout(r, 10));
  const b = sampleProc(t.pid)!;
  stop.abort();
  await Promise.all(streams);
  if (received < expected) console.error(`  ${t.label}, ${v.name}: only ${received} of ${expected} events arrived`);
  return b.cpuSeconds - a.cpuSeconds;
}

async function measure(t: Target, v: Variant, cycle: number): Promise<void> {
  const cost = await window(t, v);
  t.windows.push({ variant: v.name, cost });
  console.error(`  cycle ${cycle + 1}, ${t.label}, ${v.name}: backend CPU ${(cost * 1000).toFixed(0)} ms`);
}

const ms = (s: number) => Math.round(s * 1000);

async function main(): Promise<void> {
  installCleanupHandlers();
  if (pinned) pinProcess(process.pid, cpus().length > 2 ? `0-${cpus().length - 2}` : "0");
  const targets = [await startTarget("this checkout")];
  if (baselineDir) targets.push(await startTarget(`baseline (${baselineDir})`, baselineDir));
  // Warm-up: the first seconds of writes compile the write path; they are not a variant's cost.
  for (const t of targets) await pacedUpdates(t.writer, { namespace: NS, objects: OBJECTS, rate: RATE, count: RATE * 5, tag: "warm-up" });
  for (let cycle = 0; cycle < CYCLES; cycle++) {
    for (const v of cycleOrder(BASELINE, VARIANTS, cycle)) for (const t of targets) await measure(t, v, cycle);
  }
  for (const t of targets) await measure(t, BASELINE, CYCLES - 1);
  for (const t of targets) await t.stop();
  const writes = RATE * WINDOW_S;
  const rows = targets.flatMap((t) => {
    const base = t.windows.filter((w) => w.variant === BASELINE.name).map((w) => w.cost);
    return pairedExtras(t.windows, BASELINE.name).map((x) => {
      const v = VARIANTS.find((c) => c.name === x.variant)!;
      // A List's cost spread over the writes of one polling interval: what a poller adds per write.
      const perWrite = v.poll ? x.median / ((RATE * POLL_MS) / 1000) : x.median / writes;
      return {
        backend: t.label,
        variant: v.name,
        windows: x.diffs.length,
        extra_ms_per_window: ms(x.median),
        extra_ms_q1: ms(x.q1),
        extra_ms_q3: ms(x.q3),
        extra_us_per_write: Math.round(perWrite * 1e6),
        extra_us_per_event_per_stream: v.streams ? Math.round((perWrite * 1e6) / v.streams) : null,
        baseline_ms_per_window: ms(median(base)),
      };
    });
  });
  console.log(
    `backend CPU under ${RATE} Updates/s, ${WINDOW_S} s windows alternating with "writes only" (${CYCLES} cycles), ${OBJECTS.toLocaleString("en-US")} Services, memory store; ` +
      `extra = a window minus the mean of the writes-only windows beside it, median (quartiles); ${pinned ? "backend alone on its CPU" : "unpinned (no taskset)"}; 1-min load ${loadavg()[0]!.toFixed(2)}`,
  );
  console.log(
    `${"backend".padEnd(24)}${"variant".padEnd(30)}${"extra ms/window".padStart(16)}${"quartiles".padStart(14)}${"µs/write".padStart(10)}${"µs/event/stream".padStart(17)}`,
  );
  for (const r of rows) {
    console.log(
      `${r.backend.slice(0, 22).padEnd(24)}${r.variant.padEnd(30)}${String(r.extra_ms_per_window).padStart(16)}${`${r.extra_ms_q1}…${r.extra_ms_q3}`.padStart(14)}` +
        `${String(r.extra_us_per_write).padStart(10)}${String(r.extra_us_per_event_per_stream ?? "").padStart(17)}`,
    );
  }
  console.log(
    `writes only: median ${rows[0]?.baseline_ms_per_window ?? "?"} ms of backend CPU per ${WINDOW_S} s window (${writes} Updates); a List's µs/write is its cost spread over the ${RATE * (POLL_MS / 1000)} writes of one ${POLL_MS / 1000} s polling interval`,
  );
  console.log(JSON.stringify({ rate: RATE, window_s: WINDOW_S, cycles: CYCLES, pinned, poll_ms: POLL_MS, load: loadavg()[0], variants: rows }));
}

await runBenchmark(main);
