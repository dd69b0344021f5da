/**
 * Test kit for the watch hub: real backends on real sockets, hubs with short intervals, an NDJSON
 * reader for the hub's Response bodies, a backend whose Watch RPCs are UNIMPLEMENTED (List/Get/writes
 * are the real service over a real engine), and a fault injector that cuts the hub's upstream streams
 * the way a network failure would.
 */
import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { afterEach } from "bun:test";
import { createBackendClient, type BackendClient, type BackendWatchEvent } from "../../../src/apiserver/backend-client.ts";
import { createWatchHub, type WatchHubOptions, type WatchHubWithStats } from "../../../src/apiserver/watch/watch-hub.ts";
import type { WatchMode, WatchRequestParams } from "../../../src/apiserver/watch/watch-types.ts";
import type { Backend } from "../../../src/backend/backend.ts";
import { netguardRegistry } from "../../../src/wire/registry.ts";
import { createEngine, type Engine } from "../../../src/backend/engine/mod.ts";
import { createNetguardService } from "../../../src/backend/rpc/netguard-service.ts";
import type { Persistence } from "../../../src/backend/store/persistence.ts";
import { NetguardService } from "../../../src/gen/netguard/v1/service_pb.ts";
import { KINDS, type KindDescriptor } from "../../../src/kinds/kind-table.ts";
import type { KubeObject } from "../../../src/kinds/model.ts";
import { startConnectServer } from "../../../src/runtime/connect-server.ts";
import { clientFor, startTestBackend, type TestBackendOptions } from "../../helpers/backend-harness.ts";
import { sample } from "../../helpers/fixtures.ts";
import { createAll, createObj, deleteObj, listKind } from "../../helpers/rpc-helpers.ts";

export const MODES: readonly WatchMode[] = ["streaming", "polling", "auto"];

export type NgClient = ReturnType<typeof clientFor>;

/** Anything closed after each test (hubs, backends, watches). */
const closers: (() => Promise<void> | void)[] = [];
export function onCleanup(fn: () => Promise<void> | void): void {
  closers.push(fn);
}
/** Registers the per-test cleanup (call at the top of each test file). */
export function useCleanup(): void {
  afterEach(async () => {
    while (closers.length) await closers.pop()!();
  });
}

export async function backend(o: TestBackendOptions = {}, cleanup = true): Promise<Backend> {
  const b = await startTestBackend(o);
  if (cleanup) onCleanup(() => b.close());
  return b;
}

export type HubOverrides = Partial<Omit<WatchHubOptions, "backend">>;

/** A hub with test-sized intervals: polling 150 ms, reconnect 50 ms, probes every 400 ms. */
export function hub(client: BackendClient, mode: WatchMode, o: HubOverrides = {}, cleanup = true): WatchHubWithStats {
  const h = createWatchHub({
    backend: client,
    mode,
    streamingEnabled: true,
    pollingIntervalMs: 150,
    streamReconnectDelayMs: 50,
    maxReconnectDelayMs: 400,
    cacheCapacity: 1024,
    probeIntervalMs: 400,
    probeTimeoutMs: 2000,
    ...o,
  });
  if (cleanup) onCleanup(() => h.close());
  return h;
}

export function params(kind: KindDescriptor, o: Partial<WatchRequestParams> = {}): WatchRequestParams {
  return {
    kind,
    namespace: "",
    labelSelector: "",
    fieldSelector: "",
    resourceVersion: "",
    allowBookmarks: false,
    sendInitialEvents: false,
    format: "json",
    includeObject: "Metadata",
    ...o,
  };
}

// deno-lint-ignore no-explicit-any
export type WireObject = any;

export interface WireEvent {
  type: string;
  object: WireObject;
}

export interface HubWatch {
  readonly response: Response;
  readonly events: WireEvent[];
  /** Raw decoded text as it arrived, chunk by chunk. */
  readonly chunks: string[];
  readonly done: boolean;
  /** Starts reading the body (readers created with `paused` do not read until then). */
  resume(): void;
  until(pred: (events: WireEvent[]) => boolean, timeoutMs?: number, what?: string): Promise<WireEvent[]>;
  finished(timeoutMs?: number): Promise<WireEvent[]>;
  /** The client goes away. */
  stop(): void;
}

/** Opens a watch through the hub and reads its NDJSON body in the background. */
export function openWatch(h: WatchHubWithStats, p: WatchRequestParams, o: { paused?: boolean } = {}): HubWatch {
  const ac = new AbortController();
  const response = h.serve(p, ac.signal);
  const events: WireEvent[] = [];
  const chunks: string[] = [];
  let done = false;
  let readError: unknown;
  let started = false;
  let wake: () => void = () => undefined;
  let reader: { cancel(): Promise<void> } | undefined;
  const read = async () => {
    const body = response.body!.getReader();
    reader = body;
    const dec = new TextDecoder();
    let buf = "";
    try {
      for (;;) {
        const r = await body.read();
        if (r.done) break;
        const text = dec.decode(r.value, { stream: true });
        chunks.push(text);
        buf += text;
        let i: number;
        while ((i = buf.indexOf("\n")) >= 0) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 1);
          if (line.trim()) events.push(JSON.parse(line) as WireEvent);
        }
        wake();
      }
    } catch (e) {
      // a cancel is the test's own stop(); anything else (a broken line, a reset) is reported by until()
      if (!ac.signal.aborted) readError = e;
    } finally {
      done = true;
      wake();
    }
  };
  const resume = () => {
    if (started) return;
    started = true;
    void read();
  };
  if (!o.paused) resume();
  const w: HubWatch = {
    response,
    events,
    chunks,
    get done() {
      return done;
    },
    resume,
    async until(pred, timeoutMs = 8000, what = "condition") {
      const deadline = Date.now() + timeoutMs;
      while (!pred(events)) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; have ${JSON.stringify(summary(events))}`);
        if (done && !pred(events)) throw new Error(`stream ended before ${what}${readError ? ` (${String(readError)})` : ""}; have ${JSON.stringify(summary(events))}`);
        await new Promise<void>((r) => {
          wake = r;
          setTimeout(r, 25);
        });
      }
      return events;
    },
    async finished(timeoutMs = 8000) {
      const deadline = Date.now() + timeoutMs;
      while (!done) {
        if (Date.now() > deadline) throw new Error(`stream did not end; have ${JSON.stringify(summary(events))}`);
        await new Promise<void>((r) => {
          wake = r;
          setTimeout(r, 25);
        });
      }
      return events;
    },
    stop() {
      // A client going away: the runtime aborts the request and cancels the body it was reading.
      ac.abort();
      void reader?.cancel().catch(() => undefined);
    },
  };
  onCleanup(() => w.stop());
  return w;
}

/** Name of the object an event is about (plain object or one-row Table). */
export function nameOf(e: WireEvent): string {
  const o = e.object;
  if (o?.kind === "Table") return o.rows?.[0]?.cells?.[0] ?? "";
  return o?.metadata?.name ?? "";
}

export function rvOf(e: WireEvent): number {
  return Number(e.object?.metadata?.resourceVersion);
}

export function summary(events: WireEvent[]): [string, string, number][] {
  return events.map((e) => [e.type, e.type === "ERROR" ? e.object?.message : nameOf(e), rvOf(e)]);
}

/** Events about the given object names, without bookmarks. */
export function about(events: WireEvent[], ...names: string[]): WireEvent[] {
  return events.filter((e) => e.type !== "BOOKMARK" && e.type !== "ERROR" && names.includes(nameOf(e)));
}

/**
 * Creates sample n of a kind (with what it needs) through the real API; returns the object. For a
 * derived kind (AddressGroupPortMapping) creating the needs makes the server create it: it is read back.
 */
export async function makeSample(client: NgClient, kind: KindDescriptor, n: number): Promise<KubeObject> {
  const s = sample(kind.kind, n);
  const made = await createAll(client, s.needs);
  if (!s.derived) return createObj(client, s.object);
  const { namespace, name } = s.object.metadata;
  const found = (await listKind(client, kind)).items.find((o) => o.metadata.namespace === namespace && o.metadata.name === name);
  if (!found) throw new Error(`the server did not derive ${kind.kind} ${namespace}/${name} from ${made.map((o) => o.metadata.name).join(",")}`);
  return found;
}

/**
 * A streaming hub on a real backend with a small cache, one sample of `kind` written and a warm
 * watcher that saw it: the cache is live, ready for a client positioned at the newest event.
 */
export async function liveHubWithSample(kind: KindDescriptor, cacheCapacity: number) {
  const b = await backend();
  const client = clientFor(b.url);
  const h = hub(createBackendClient(b.url), "streaming", { cacheCapacity });
  const warm = openWatch(h, params(kind, { resourceVersion: "0" }));
  const obj = await makeSample(client, kind, 1);
  await warm.until((es) => about(es, obj.metadata.name).length === 1, 8000, "the cache is live");
  return { b, client, h, warm, obj };
}

/**
 * Deletes a sample; returns its last state with the delete's resourceVersion. A derived object is
 * deleted by deleting its owner (same name and namespace), in the same commit right after it.
 */
export async function deleteSample(client: NgClient, kind: KindDescriptor, obj: KubeObject): Promise<KubeObject> {
  const s = sample(kind.kind, 0);
  if (!s.derived) return deleteObj(client, obj);
  await deleteObj(client, { ...s.owner!, metadata: { ...s.owner!.metadata, name: obj.metadata.name, namespace: obj.metadata.namespace } });
  const at = (await client.syncStatus({})).resourceVersion;
  return { ...obj, metadata: { ...obj.metadata, resourceVersion: at } };
}

export function rv(o: KubeObject): number {
  return Number(o.metadata.resourceVersion);
}

export async function eventually(pred: () => boolean, timeoutMs = 8000, what = "condition"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const sleepMs = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// A backend without streaming: the real service over a real engine, Watch RPCs UNIMPLEMENTED.

export interface NonStreamingBackend {
  readonly url: string;
  readonly port: number;
  readonly engine: Engine;
  /** Watch calls it refused. */
  readonly refusedWatches: number;
  close(): Promise<void>;
}

export async function startNonStreamingBackend(o: { port?: number; persistence: Persistence }): Promise<NonStreamingBackend> {
  const engine = await createEngine({ persistence: o.persistence, retention: { maxEvents: 0, maxAgeMs: 0 }, ringCapacity: 1024, trimIntervalMs: 0 });
  const shutdown = new AbortController();
  const impl = createNetguardService({ engine, shutdown: shutdown.signal, bookmarkIntervalMs: 60_000 }) as unknown as Record<string, unknown>;
  let refused = 0;
  for (const k of KINDS) {
    const local = NetguardService.methods.find((m) => m.name === k.watchMethod)!.localName;
    impl[local] = async function* (): AsyncGenerator<never> {
      refused++;
      throw new ConnectError("this backend does not stream", Code.Unimplemented);
    };
  }
  const handler = connectNodeAdapter({
    routes: (r) => r.service(NetguardService, impl as unknown as ServiceImpl<typeof NetguardService>),
    jsonOptions: { registry: netguardRegistry },
    shutdownSignal: shutdown.signal,
  });
  const server = await startConnectServer("127.0.0.1", o.port ?? 0, handler);
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${server.port}`,
    port: server.port,
    engine,
    get refusedWatches() {
      return refused;
    },
    close() {
      closing ??= (async () => {
        shutdown.abort();
        await server.close(300);
        await engine.close();
      })();
      return closing;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Fault injection between the hub and a real backend client.

export interface FaultyClient {
  readonly client: BackendClient;
  /** Backend Watch calls made through this client, per Kind name. */
  readonly watchCalls: Map<string, number>;
  /** Breaks every open Watch stream (as a dropped connection would: Unavailable). */
  cut(): void;
  /** While held, new Watch and List calls fail with Unavailable. */
  hold(): void;
  release(): void;
  /** While on, new Watch calls fail with Unavailable (List keeps working). */
  failStreams(on: boolean): void;
}

export function faultyClient(url: string): FaultyClient {
  const real = createBackendClient(url);
  const open = new Set<AbortController>();
  const watchCalls = new Map<string, number>();
  let held = false;
  let streamsFail = false;
  const unavailable = () => new ConnectError("injected network failure", Code.Unavailable);
  const client: BackendClient = {
    ...real,
    async list(kind, opts) {
      if (held) throw unavailable();
      return real.list(kind, opts);
    },
    watch(kind, req, signal) {
      watchCalls.set(kind.kind, (watchCalls.get(kind.kind) ?? 0) + 1);
      const cutter = new AbortController();
      return (async function* (): AsyncGenerator<BackendWatchEvent> {
        if (held || streamsFail) throw unavailable();
        open.add(cutter);
        try {
          const inner = real.watch(kind, req, AbortSignal.any([signal, cutter.signal]));
          try {
            for await (const ev of inner) yield ev;
          } catch (e) {
            if (cutter.signal.aborted && !signal.aborted) throw unavailable();
            throw e;
          }
          if (cutter.signal.aborted && !signal.aborted) throw unavailable();
        } finally {
          open.delete(cutter);
        }
      })();
    },
  };
  return {
    client,
    watchCalls,
    cut() {
      for (const c of open) c.abort();
    },
    hold() {
      held = true;
    },
    release() {
      held = false;
    },
    failStreams(on) {
      streamsFail = on;
    },
  };
}
