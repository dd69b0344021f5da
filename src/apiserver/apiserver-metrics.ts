/**
 * The API server's /metrics: the four watch metrics of deploy/monitoring/, watch clients per kind and source mode,
 * the source mode itself and the configured one, watch-cache occupancy, lapped and terminated watchers, poller List calls,
 * backend RPCs by method and code, HTTP requests by verb/resource/code, and the process.
 *
 * Hot paths touch pre-resolved children only (a number update); the watch hub's own counters are
 * read at scrape time.
 */
import { KINDS, kindByName, kindByPlural } from "../kinds/kind-table.ts";
import { GROUP, VERSION } from "../kinds/model.ts";
import { createRegistry, LATENCY_BUCKETS, registerProcessMetrics, type CollectedSample, type Registry } from "../metrics/registry.ts";
import type { CallObserver } from "./backend-client.ts";
import type { WatchHubWithStats } from "./watch/watch-hub.ts";

export interface ApiServerMetrics {
  readonly registry: Registry;
  /** Pass to createBackendClient: counts backend calls by method and code. */
  readonly observeBackendCall: CallObserver;
  /** Pass to createWatchHub: commit → write latency per event. */
  onDeliveryLatency(kind: string, seconds: number): void;
  /** Pass to createWatchHub: the duration of each flush to a kind's watchers. */
  onFlush(kind: string, seconds: number): void;
  /** Reads the hub's counters at scrape time. */
  attach(hub: WatchHubWithStats): void;
  /** Wraps the fetch handler to count and time HTTP requests. */
  instrument(handler: (req: Request) => Promise<Response>): (req: Request) => Promise<Response>;
  render(): string;
}

const HTTP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** A flush of a few watchers takes tens of microseconds; of 1,000 about 10 ms on two cores. */
const FLUSH_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];
const API_PREFIX = `/apis/${GROUP}/${VERSION}/`;

/** Kubernetes-style verb and resource of a request (what apiserver_request_total labels carry). */
export function classify(method: string, url: URL): { verb: string; resource: string } {
  let path = url.pathname;
  if (!path.startsWith(API_PREFIX)) return { verb: method, resource: "" };
  let watch = url.searchParams.get("watch") === "true" || url.searchParams.get("watch") === "1";
  let parts = path.slice(API_PREFIX.length).split("/").filter(Boolean);
  if (parts[0] === "watch") {
    watch = true;
    parts = parts.slice(1);
  }
  if (parts[0] === "namespaces" && parts.length >= 3) parts = parts.slice(2);
  const plural = parts[0] ?? "";
  if (!kindByPlural(plural)) return { verb: method, resource: "" };
  const named = parts.length >= 2;
  const resource = parts.length >= 3 ? `${plural}/${parts[2]}` : plural;
  switch (method) {
    case "GET":
      return { verb: watch ? "WATCH" : named ? "GET" : "LIST", resource };
    case "POST":
      return { verb: "CREATE", resource };
    case "PUT":
      return { verb: "UPDATE", resource };
    case "PATCH":
      return { verb: "PATCH", resource };
    case "DELETE":
      return { verb: named ? "DELETE" : "DELETECOLLECTION", resource };
    default:
      return { verb: method, resource };
  }
}

export function createApiServerMetrics(): ApiServerMetrics {
  const r = createRegistry();
  let hub: WatchHubWithStats | undefined;
  const plural = (kind: string) => kindByName(kind)?.plural ?? kind;

  const latency = r.histogram("watch_event_latency_seconds", "Seconds from the backend's commit of a change to the API server writing it to watchers.", ["resource_type"], LATENCY_BUCKETS);
  const latencyChildren = new Map(KINDS.map((k) => [k.kind, latency.labels(k.plural)]));
  // Long flushes mean the fan-out takes a large share of the interval between changes: the flush
  // window then widens (watch.flush_busy_factor) and changes wait for it; more workers or replicas help.
  const flushSeconds = r.histogram(
    "netguard_apiserver_watch_flush_duration_seconds",
    "Time one flush took to write the pending events to every watcher of a kind (the fan-out's own cost per write round).",
    ["resource_type"],
    FLUSH_BUCKETS,
  );
  const flushChildren = new Map(KINDS.map((k) => [k.kind, flushSeconds.labels(k.plural)]));

  const perKind = (read: (kind: string) => number | undefined): (() => CollectedSample[]) => () => {
    const stats = hub?.stats() ?? {};
    return Object.keys(stats).map((k) => ({ labels: { resource_type: plural(k) }, value: read(k) ?? 0 }));
  };
  const stat = <K extends keyof ReturnType<WatchHubWithStats["stats"]>[string]>(key: K) =>
    perKind((k) => hub?.stats()[k]?.[key] as number | undefined);

  r.collect("watch_streams_active_total", "Backend Watch streams feeding the watch caches, per resource type (the established name, though a gauge).", "gauge", () =>
    Object.entries(hub?.sourceModes() ?? {}).map(([k, m]) => ({ labels: { resource_type: plural(k) }, value: m === "streaming" ? 1 : 0 })),
  );
  r.collect("watch_events_total", "Events that entered the watch caches, per resource type and event type.", "counter", () => {
    const out: CollectedSample[] = [];
    for (const [k, s] of Object.entries(hub?.stats() ?? {})) {
      for (const t of ["ADDED", "MODIFIED", "DELETED"] as const) out.push({ labels: { resource_type: plural(k), event_type: t }, value: s.eventsByType[t] });
    }
    return out;
  });
  r.collect("watch_stream_reconnects_total", "Backend Watch stream breaks followed by a reconnect, per resource type.", "counter", stat("reconnects"));
  r.collect("netguard_apiserver_watch_clients", "Connected watch clients per resource type and current source mode.", "gauge", () => {
    const modes = hub?.sourceModes() ?? {};
    return Object.entries(hub?.stats() ?? {}).map(([k, s]) => ({ labels: { resource_type: plural(k), mode: modes[k] ?? "idle" }, value: s.activeWatchers }));
  });
  r.collect("netguard_apiserver_watch_source_mode", "1 for the source mode each resource type is in (streaming, polling or idle).", "gauge", () => {
    const out: CollectedSample[] = [];
    for (const [k, m] of Object.entries(hub?.sourceModes() ?? {})) {
      for (const mode of ["streaming", "polling", "idle"]) out.push({ labels: { resource_type: plural(k), mode }, value: m === mode ? 1 : 0 });
    }
    return out;
  });
  // What the configuration intends, so an alert can tell a fallback to polling from polling by design.
  r.collect("netguard_apiserver_watch_configured_mode", "1 for the configured watch mode (auto, streaming or polling; polling when streaming is disabled).", "gauge", () =>
    hub ? [{ labels: { mode: hub.configuredMode }, value: 1 }] : [],
  );
  r.collect("netguard_apiserver_watch_cache_events", "Events held in each watch cache's ring.", "gauge", () =>
    Object.entries(hub?.occupancy() ?? {}).map(([k, o]) => ({ labels: { resource_type: plural(k) }, value: o.events })),
  );
  r.collect("netguard_apiserver_watch_cache_capacity", "Ring capacity of each watch cache.", "gauge", () =>
    Object.entries(hub?.occupancy() ?? {}).map(([k, o]) => ({ labels: { resource_type: plural(k) }, value: o.capacity })),
  );
  r.collect("netguard_apiserver_watch_cache_objects", "Objects held in each watch cache.", "gauge", () =>
    Object.entries(hub?.occupancy() ?? {}).map(([k, o]) => ({ labels: { resource_type: plural(k) }, value: o.objects })),
  );
  r.collect("netguard_apiserver_watch_events_delivered_total", "Events written to watch clients (synthetic initial ADDED included).", "counter", stat("eventsDelivered"));
  r.collect("netguard_apiserver_watch_lapped_cursors_total", "Watch clients that fell a whole ring behind and were ended with 410 Expired.", "counter", stat("lappedCursors"));
  r.collect("netguard_apiserver_watch_errors_sent_total", "ERROR events written to watch clients (each ends that watch).", "counter", stat("errorsSent"));
  r.collect("netguard_apiserver_watch_catchups_total", "Watch clients older than the cache, caught up from the backend.", "counter", stat("catchUps"));
  r.collect("netguard_apiserver_watch_relists_total", "Fresh snapshots taken by stream sources (expired position, restart).", "counter", stat("relists"));
  r.collect("netguard_apiserver_watch_mode_switches_total", "Changes between streaming and polling (auto mode).", "counter", stat("modeSwitches"));
  r.collect("netguard_apiserver_poller_list_calls_total", "Backend List calls made by the pollers.", "counter", stat("listCalls"));
  r.collect("netguard_apiserver_poller_errors_total", "Failed polls.", "counter", stat("pollErrors"));

  const backendCalls = r.counter("netguard_apiserver_backend_requests_total", "Calls from the API server to the backend, by method and result code.", ["method", "code"]);
  const backendSeconds = r.histogram("netguard_apiserver_backend_request_duration_seconds", "Duration of backend calls (Watch: until the stream ends).", ["method"], HTTP_BUCKETS);
  const http = r.counter("netguard_apiserver_http_requests_total", "HTTP requests by Kubernetes verb, resource and status code.", ["verb", "resource", "code"]);
  const httpSeconds = r.histogram("netguard_apiserver_http_request_duration_seconds", "Time to the response head (watches: until the stream starts).", ["verb", "resource"], HTTP_BUCKETS);
  registerProcessMetrics(r);

  const backendSecondsChildren = new Map<string, ReturnType<typeof backendSeconds.labels>>();
  const httpChildren = new Map<string, ReturnType<typeof httpSeconds.labels>>();

  return {
    registry: r,
    observeBackendCall(method, code, seconds) {
      backendCalls.labels(method, code).inc();
      let c = backendSecondsChildren.get(method);
      if (!c) backendSecondsChildren.set(method, (c = backendSeconds.labels(method)));
      c.observe(seconds);
    },
    onDeliveryLatency(kind, seconds) {
      latencyChildren.get(kind)?.observe(seconds);
    },
    onFlush(kind, seconds) {
      flushChildren.get(kind)?.observe(seconds);
    },
    attach(h) {
      hub = h;
    },
    instrument(handler) {
      return async (req) => {
        const start = performance.now();
        const res = await handler(req);
        const { verb, resource } = classify(req.method, new URL(req.url));
        http.labels(verb, resource, String(res.status)).inc();
        const key = `${verb} ${resource}`;
        let c = httpChildren.get(key);
        if (!c) httpChildren.set(key, (c = httpSeconds.labels(verb, resource)));
        c.observe((performance.now() - start) / 1000);
        return res;
      };
    },
    render: () => r.render(),
  };
}
