/**
 * The WatchHub: the API server's watch entry point. The REST layer parses `?watch=true` and calls
 * `serve`; the hub validates the request up front (so bad selectors get a plain 400 Status), then
 * hands it to the kind's watch (created lazily), which serves it from a per-kind cache fed by one
 * upstream source whatever the number of clients.
 */
import { KINDS } from "../../kinds/kind-table.ts";
import type { BackendClient } from "../backend-client.ts";
import { RESOURCE_VERSION_WAIT_MS, tooLargeResourceVersion, waitForResourceVersion } from "../resource-version-wait.ts";
import { parseRequestFilter } from "../../kinds/selectors.ts";
import { statusError } from "../status.ts";
import { createWatchFilter } from "./event-filter.ts";
import { createKindWatch, type KindWatch } from "./kind-watch.ts";
import type { KindWatchStats } from "./watch-stats.ts";
import type { WatchHub, WatchMode } from "./watch-types.ts";

export interface WatchHubOptions {
  backend: BackendClient;
  mode: WatchMode;
  /** false forces polling whatever the mode (the kill switch of the rollout plan). */
  streamingEnabled: boolean;
  pollingIntervalMs: number;
  /** First reconnect delay of a broken stream; doubles (jittered) up to maxReconnectDelayMs. */
  streamReconnectDelayMs: number;
  /** Events kept per kind; a client further behind than this is caught up or expired. */
  cacheCapacity: number;
  /** Stop a kind's source after this long without watchers (default 30 s). */
  idleStopMs?: number;
  /** Period of BOOKMARK events for clients that allow them (default 60 s). */
  bookmarkIntervalMs?: number;
  /** Cap of the reconnect backoff (default 30 s). */
  maxReconnectDelayMs?: number;
  /** Auto mode: consecutive stream failures before falling back to polling (default 3). */
  maxStreamFailures?: number;
  /** Auto mode: how often polling probes whether streaming works again (default 6 × polling interval, at least 1 s). */
  probeIntervalMs?: number;
  /** Auto mode: how long a probe waits for the backend's answer (default 5 s). */
  probeTimeoutMs?: number;
  /** How long a read waits for a resourceVersion newer than the server's (default 3 s, as Kubernetes). */
  resourceVersionWaitMs?: number;
  /** Observes seconds from the backend's commit of a change to its write to watchers (metrics). */
  onDeliveryLatency?: (kind: string, seconds: number) => void;
  /** Observes the seconds each flush of a kind took to write to all its watchers (metrics). */
  onFlush?: (kind: string, seconds: number) => void;
  /**
   * Coalescing window, opened by each flush: a change after a quiet spell goes out on the next
   * event-loop turn; one within this long of the previous flush waits for the window's end, so
   * changes arriving together go to each watcher as one write (default 2 ms; config
   * watch.flush_delay). Longer = fewer, larger writes and less CPU per delivery under load, at up
   * to that much added latency.
   */
  flushDelayMs?: number;
  /**
   * The window is also at least this many times the typical flush's duration (default 3; config
   * watch.flush_busy_factor; 0 = off): with thousands of watchers a flush takes milliseconds, and
   * the changes of that time go out together instead of one flush per change falling behind.
   */
  flushBusyFactor?: number;
}

/** What a kind's cache holds right now, for metrics. */
export interface CacheOccupancy {
  events: number;
  capacity: number;
  objects: number;
}

/** The hub plus read-only counters per kind, for metrics and tests. */
export interface WatchHubWithStats extends WatchHub {
  /** Counters per kind (Kind name → counters) of every kind watched so far. */
  stats(): Record<string, KindWatchStats>;
  /** Ring and state sizes per kind watched so far. */
  occupancy(): Record<string, CacheOccupancy>;
  /** The mode the configuration asks for ("polling" when streaming is switched off). */
  readonly configuredMode: WatchMode;
}

const RV_PATTERN = /^\d{1,15}$/;

/** kube-apiserver's default: a random duration between 30 and 60 minutes. */
function defaultTimeoutMs(): number {
  return Math.round((1800 + Math.random() * 1800) * 1000);
}

/** Creates the hub; kinds start lazily with their first watch. Returns WatchHub plus `stats()`. */
export function createWatchHub(o: WatchHubOptions): WatchHubWithStats {
  const kinds = new Map<string, KindWatch>();
  let closed = false;
  const settings = {
    mode: o.mode,
    streamingEnabled: o.streamingEnabled,
    pollingIntervalMs: o.pollingIntervalMs,
    streamReconnectDelayMs: o.streamReconnectDelayMs,
    maxReconnectDelayMs: o.maxReconnectDelayMs ?? 30_000,
    maxStreamFailures: o.maxStreamFailures ?? 3,
    probeIntervalMs: o.probeIntervalMs ?? Math.max(1000, 6 * o.pollingIntervalMs),
    probeTimeoutMs: o.probeTimeoutMs ?? 5000,
    resourceVersionWaitMs: o.resourceVersionWaitMs ?? RESOURCE_VERSION_WAIT_MS,
  };

  return {
    configuredMode: o.streamingEnabled ? o.mode : "polling",
    serve(params, signal) {
      if (closed) throw statusError.unavailable("the API server is shutting down");
      const rv = params.resourceVersion;
      if (rv !== "" && !RV_PATTERN.test(rv)) {
        throw statusError.badRequest(`resourceVersion: invalid value "${rv}": must be a non-negative integer`);
      }
      const parsed =
        params.filter ?? parseRequestFilter(params.namespace, params.labelSelector, params.fieldSelector, (m) => statusError.badRequest(m));
      const filter = createWatchFilter(parsed);
      let kw = kinds.get(params.kind.kind);
      if (!kw) {
        kw = createKindWatch({
          ...settings,
          kind: params.kind,
          backend: o.backend,
          cacheCapacity: o.cacheCapacity,
          idleStopMs: o.idleStopMs ?? 30_000,
          bookmarkIntervalMs: o.bookmarkIntervalMs ?? 60_000,
          flushDelayMs: o.flushDelayMs,
          flushBusyFactor: o.flushBusyFactor,
          onDeliveryLatency: o.onDeliveryLatency ? (s) => o.onDeliveryLatency!(params.kind.kind, s) : undefined,
          onFlush: o.onFlush ? (s) => o.onFlush!(params.kind.kind, s) : undefined,
        });
        kinds.set(params.kind.kind, kw);
      }
      // As kube-apiserver: absent or 0 → the default; a negative timeout ends the watch at once.
      const t = params.timeoutSeconds;
      const timeoutMs = t === undefined || t === 0 ? defaultTimeoutMs() : Math.max(0, t * 1000);
      return kw.serve(params, filter, signal, timeoutMs);
    },
    async waitForResourceVersion(kind, rv, requested, signal) {
      const cached = kinds.get(kind.kind)?.cache;
      if (cached?.loaded && cached.rv >= rv) return;
      // The backend's counter is global: a one-item list reports it without moving much data.
      const current = async () => Number((await o.backend.list(kind, { limit: 1 })).resourceVersion) || 0;
      const r = await waitForResourceVersion({ target: rv, current, waitMs: settings.resourceVersionWaitMs, signal });
      if (!r.reached) throw tooLargeResourceVersion(requested, r.current);
    },
    sourceModes() {
      const out: Record<string, string> = {};
      for (const k of KINDS) out[k.kind] = kinds.get(k.kind)?.mode ?? "idle";
      for (const [name, kw] of kinds) out[name] = kw.mode;
      return out;
    },
    stats() {
      const out: Record<string, KindWatchStats> = {};
      for (const [name, kw] of kinds) out[name] = { ...kw.stats };
      return out;
    },
    occupancy() {
      const out: Record<string, CacheOccupancy> = {};
      for (const [name, kw] of kinds) {
        const ring = kw.cache.ring;
        out[name] = { events: ring.nextSeq - ring.oldestSeq, capacity: ring.capacity, objects: kw.cache.state.size };
      }
      return out;
    },
    async close() {
      closed = true;
      const all = [...kinds.values()];
      await Promise.race([Promise.all(all.map((k) => k.close())), new Promise((r) => setTimeout(r, 2000))]);
    },
  };
}
