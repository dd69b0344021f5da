/**
 * Bytes on the API server ↔ backend hop per change, streaming vs polling — issue 15's "wire bytes
 * per event when events batch" row on its own, without the rest of the system bench.
 *
 *   npx bun run bench/wire-bytes.bench.ts [--quick]
 *
 * Real processes, as in the system bench (bench/system/stack.ts): one backend (memory store, 1,000
 * Services), then for each mode an API server connected to it, with one HTTP
 * watcher on the Services of the namespace. Two windows per mode, counted by the kernel on the API server's sockets to the backend (both
 * directions, HTTP/2 framing included):
 *  - steady: paced Updates (100/s), bytes per write — each change alone on a streaming hop;
 *  - burst: `BATCHES` Sync batches of 500 changes back to back (the system bench's burst round),
 *    bytes per change — where streaming's batched, compressed Watch messages apply.
 * A streaming window ends once the watcher has every change and the hop is quiet; a polling one a
 * polling interval (plus a margin) after the last write, so its Lists saw every change. Prints a
 * table and, last, one JSON line.
 */
import { benchService, createBackendWriter, pacedUpdates, type BackendWriter } from "./system/backend-writer.ts";
import { installCleanupHandlers, runBenchmark } from "./system/cleanup.ts";
import { startApiServerProc, startBackendProc, type ApiServerProc } from "./system/stack.ts";
import type { WireCounter } from "./system/wire-counter.ts";

const quick = process.argv.includes("--quick");
const NS = "bench";
const OBJECTS = 1000;
const RATE = 100;
const STEADY_WRITES = quick ? 500 : 1000;
const BATCHES = 5;
const BATCH = 500;
const POLL_MS = 5000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const bytesOf = async (p: WireCounter) => {
  const c = await p.counts();
  return c.up + c.down;
};

/** One HTTP watcher on the API server, counting the change lines it receives. */
function openWatcher(port: number, rv: string) {
  const ac = new AbortController();
  const state = { changes: 0 };
  const done = (async () => {
    const res = await fetch(`http://127.0.0.1:${port}/apis/netguard.sgroups.io/v1beta1/namespaces/${NS}/services?watch=true&resourceVersion=${rv}`, { signal: ac.signal });
    const reader = res.body!.getReader();
    const text = new TextDecoder();
    let rest = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      const lines = (rest + text.decode(value, { stream: true })).split("\n");
      rest = lines.pop()!;
      for (const l of lines) if (/"type":"(ADDED|MODIFIED|DELETED)"/.test(l)) state.changes++;
    }
  })().catch(() => undefined);
  return { state, stop: () => ac.abort(), done };
}

/** Waits until the hop `wire` counts has carried nothing new for `quietMs`. */
async function quiet(wire: WireCounter, quietMs = 300): Promise<void> {
  let last = await bytesOf(wire);
  for (;;) {
    await sleep(quietMs);
    const now = await bytesOf(wire);
    if (now === last) return;
    last = now;
  }
}

/** Waits for the watcher (streaming) or for one more polling interval (polling) after the writes. */
async function settle(api: ApiServerProc, watcher: ReturnType<typeof openWatcher>, want: number): Promise<void> {
  if (api.mode === "polling") {
    await sleep(POLL_MS + 1000);
    return;
  }
  const deadline = Date.now() + 60_000;
  while (watcher.state.changes < want && Date.now() < deadline) await sleep(20);
  if (watcher.state.changes < want) throw new Error(`streaming watcher got ${watcher.state.changes} of ${want} changes`);
  await quiet(api.wire);
}

async function measureMode(mode: "streaming" | "polling", backendPort: number, writer: BackendWriter, tag: string) {
  const api = await startApiServerProc(mode, backendPort, `${POLL_MS / 1000}s`);
  try {
    const watcher = openWatcher(api.port, await writer.currentRv());
    await sleep(1500); // snapshot / first poll and connection set-up out of the windows
    await quiet(api.wire);

    let before = await bytesOf(api.wire);
    const paced = await pacedUpdates(writer, { namespace: NS, objects: OBJECTS, rate: RATE, count: STEADY_WRITES, tag: `${tag}-${mode}-steady` });
    await settle(api, watcher, paced.acks.length);
    const steady = (await bytesOf(api.wire) - before) / Math.max(1, paced.acks.length);

    const seen = watcher.state.changes;
    before = await bytesOf(api.wire);
    for (let b = 0; b < BATCHES; b++) {
      await writer.syncUpsert(Array.from({ length: BATCH }, (_, k) => benchService(NS, (b * BATCH + k) % OBJECTS, `${tag}-${mode}-burst-${b}-${k}`)));
    }
    // the streaming watcher sees every change; a poller only the last state of each object
    await settle(api, watcher, seen + BATCHES * BATCH);
    const burst = (await bytesOf(api.wire) - before) / (BATCHES * BATCH);
    watcher.stop();
    return { steady, burst };
  } finally {
    await api.stop();
  }
}

async function main(): Promise<void> {
  const backend = await startBackendProc("memory:");
  const writer = createBackendWriter(backend.port);
  for (let i = 0; i < OBJECTS; i += BATCH) {
    await writer.syncUpsert(Array.from({ length: Math.min(BATCH, OBJECTS - i) }, (_, k) => benchService(NS, i + k, "initial")));
  }
  const tag = `w${Date.now()}`;
  const streaming = await measureMode("streaming", backend.port, writer, tag);
  const polling = await measureMode("polling", backend.port, writer, tag);
  const int = (x: number) => Math.round(x).toLocaleString("en-US");
  console.log(`bytes API server ↔ backend per change (${OBJECTS} Services, ${RATE}/s steady, ${BATCHES} × ${BATCH} burst, polling every ${POLL_MS / 1000} s)`);
  console.log(`| mode | steady, per write | burst, per change |`);
  console.log(`|---|---|---|`);
  console.log(`| streaming | ${int(streaming.steady)} B | ${int(streaming.burst)} B |`);
  console.log(`| polling | ${int(polling.steady)} B | ${int(polling.burst)} B |`);
  console.log(`streaming burst ÷ polling steady (the bench target's ratio, ≤ 1 to meet): ${(streaming.burst / polling.steady).toFixed(2)}×`);
  console.log(JSON.stringify({ bench: "wire-bytes", quick, streaming, polling, ratio: streaming.burst / polling.steady }));
}

installCleanupHandlers();
void runBenchmark(main);
