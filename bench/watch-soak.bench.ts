/**
 * Watch soak: many commits with hundreds of idle watchers on both servers; RSS must stay bounded.
 *
 *   npx bun run bench:soak [--commits N] [--watchers W] [--max-growth-mb M]
 *
 * One process runs a real backend (memory store, retention on) and a real API server in front of
 * it. W backend Watch RPCs and W API server HTTP watches of the written kind use a label selector
 * that matches nothing, so every commit wakes them and they deliver nothing (the idle watchers of
 * issue 9, whose wake-ups leaked ~86 bytes each per commit). One backend RPC reader and one API
 * reader check that every event arrives in order. Commits go through the engine directly (the
 * write path is not what is soaked). RSS is sampled every 10% of the run after a warm-up; the
 * last line is one JSON object. Exits 1 when RSS grew by more than --max-growth-mb (default 100)
 * from the first sample (after the retention window filled and RSS levelled) to the last, or when a reader missed an event.
 */
import { connect } from "node:net";
import { createBackendClient } from "../src/apiserver/backend-client.ts";
import { startApiServer } from "../src/apiserver/api-server.ts";
import { createWatchHub } from "../src/apiserver/watch/watch-hub.ts";
import { startBackend } from "../src/backend/backend.ts";
import { createMemoryPersistence } from "../src/backend/store/memory-persistence.ts";
import { WatchEvent_EventType, type WatchEvent } from "../src/gen/netguard/v1/service_pb.ts";
import { kindByName } from "../src/kinds/kind-table.ts";
import type { KubeObject } from "../src/kinds/model.ts";
import { clientFor } from "../test/helpers/backend-harness.ts";
import { sample } from "../test/helpers/fixtures.ts";
import { watchKindRpc } from "../test/helpers/rpc-helpers.ts";

const args = process.argv.slice(2);
const flag = (name: string, dflt: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const COMMITS = flag("--commits", 100_000);
const WATCHERS = flag("--watchers", 300);
const MAX_GROWTH_MB = flag("--max-growth-mb", 100);
const log = (s: string) => console.error(s);
const rssMb = () => process.memoryUsage().rss / 2 ** 20;

const kind = kindByName("AddressGroup")!;
const backend = await startBackend({
  host: "127.0.0.1",
  port: 0,
  persistence: createMemoryPersistence(),
  retention: { maxEvents: 10_000, maxAgeMs: 0 },
  ringCapacity: 1024,
  bookmarkIntervalMs: 60_000,
  trimIntervalMs: 1000,
  shutdownGraceMs: 500,
});
const backendClient = createBackendClient(backend.url);
const hub = createWatchHub({ backend: backendClient, mode: "streaming", streamingEnabled: true, pollingIntervalMs: 1000, streamReconnectDelayMs: 50, cacheCapacity: 1024 });
const api = await startApiServer("127.0.0.1", 0, { backend: backendClient, watch: hub });
const stop = new AbortController();

// Idle backend watchers: a few connections, many streams each.
const rpcClients = Array.from({ length: 4 }, () => clientFor(backend.url));
for (let i = 0; i < WATCHERS; i++) {
  void (async () => {
    for await (const _ of watchKindRpc(rpcClients[i % 4]!, kind, { labelSelector: "soak=none" }, stop.signal)) void _;
  })().catch(() => undefined);
}
// Idle API watchers: raw sockets that read (and drop) whatever comes.
const url = new URL(api.url);
const sockets = Array.from({ length: WATCHERS }, () => {
  const s = connect(Number(url.port), url.hostname);
  s.write(`GET /apis/netguard.sgroups.io/v1beta1/addressgroups?watch=true&labelSelector=soak%3Dnone HTTP/1.1\r\nHost: ${url.host}\r\n\r\n`);
  s.on("data", () => undefined);
  s.on("error", () => undefined);
  return s;
});
// Readers that must see every commit, in order.
let rpcSeen = 0;
let rpcLast = 0;
let rpcDisorder = 0;
void (async () => {
  const events = watchKindRpc(clientFor(backend.url), kind, {}, stop.signal) as AsyncIterable<WatchEvent>;
  for await (const e of events) {
    const rv = Number(e.resourceVersion);
    if (e.type === WatchEvent_EventType.ADDED || e.type === WatchEvent_EventType.MODIFIED) {
      if (rv <= rpcLast) rpcDisorder++;
      rpcLast = rv;
      rpcSeen++;
    }
  }
})().catch(() => undefined);
let apiSeen = 0;
const apiReader = fetch(`${api.url}/apis/netguard.sgroups.io/v1beta1/addressgroups?watch=true`, { signal: stop.signal }).then(async (res) => {
  const reader = res.body!.getReader();
  const dec = new TextDecoder();
  let buf = "";
  for (;;) {
    const r = await reader.read();
    if (r.done) return;
    buf += dec.decode(r.value, { stream: true });
    let i: number;
    while ((i = buf.indexOf("\n")) >= 0) {
      if (buf.slice(0, i).includes('"type":"MODIFIED"') || buf.slice(0, i).includes('"type":"ADDED"')) apiSeen++;
      buf = buf.slice(i + 1);
    }
  }
});
void apiReader.catch(() => undefined);

const settle = async (pred: () => boolean, ms: number) => {
  const end = Date.now() + ms;
  while (!pred() && Date.now() < end) await Bun.sleep(20);
  return pred();
};
await settle(() => hub.stats()[kind.kind]?.activeWatchers === WATCHERS + 1, 30_000);
await settle(() => (backend.activeWatches.get(kind.kind) ?? 0) >= WATCHERS + 2, 30_000);
log(`watchers: backend ${backend.activeWatches.get(kind.kind)}, api ${hub.stats()[kind.kind]?.activeWatchers}`);

let cur: KubeObject = await backend.engine.create(kind, sample("AddressGroup", 1).object);
const samples: { commits: number; rssMb: number }[] = [];
const started = performance.now();
// The first sample comes once the backend store has filled its retention window (10k events).
const warmup = Math.min(30_000, Math.floor(COMMITS * 0.3));
for (let i = 1; i <= COMMITS; i++) {
  cur = await backend.engine.update(kind, { ...cur, metadata: { ...cur.metadata, labels: { i: String(i % 1000) } } });
  if (i % 64 === 0) await new Promise<void>((r) => setImmediate(r)); // let watchers run
  if (i === warmup || (i > warmup && i % Math.floor(COMMITS / 10) === 0) || i === COMMITS) {
    await settle(() => rpcSeen >= i + 1 && apiSeen >= i + 1, 30_000);
    Bun.gc(true);
    samples.push({ commits: i, rssMb: Number(rssMb().toFixed(1)) });
    log(`commits ${i}: rss ${rssMb().toFixed(1)} MB (rpc reader ${rpcSeen}, api reader ${apiSeen})`);
  }
}
const complete = await settle(() => rpcSeen >= COMMITS + 1 && apiSeen >= COMMITS + 1, 30_000);
const seconds = (performance.now() - started) / 1000;
const growth = samples.at(-1)!.rssMb - samples[0]!.rssMb;
const ok = complete && rpcDisorder === 0 && growth <= MAX_GROWTH_MB;
console.log(
  JSON.stringify({
    bench: "watch-soak",
    commits: COMMITS,
    watchers: { backend: WATCHERS, api: WATCHERS },
    seconds: Number(seconds.toFixed(1)),
    commitsPerSecond: Math.round(COMMITS / seconds),
    rssSamples: samples,
    rssGrowthMb: Number(growth.toFixed(1)),
    maxGrowthMb: MAX_GROWTH_MB,
    readers: { rpc: rpcSeen, api: apiSeen, rpcOutOfOrder: rpcDisorder, expected: COMMITS + 1 },
    ok,
  }),
);
stop.abort();
for (const s of sockets) s.destroy();
await api.close();
backendClient.close();
await backend.close();
process.exit(ok ? 0 : 1);
