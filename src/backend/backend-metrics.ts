/**
 * The backend's /metrics: the watch metrics (active streams, events) under the names the dashboards use, Connect RPCs by method
 * and code with durations, the event store (ring occupancy, lapped and expired cursors, log reads),
 * the event log (size, retention floor, newest resourceVersion, oldest open watcher's position), objects per kind, and the process.
 */
import { callUntilEnd } from "./rpc/response-end.ts";
import type { Interceptor } from "@connectrpc/connect";
import { ConnectError } from "@connectrpc/connect";
import { KINDS } from "../kinds/kind-table.ts";
import { codeName } from "../metrics/connect-codes.ts";
import type { ConnectionStats } from "../runtime/connection-guard.ts";
import { createRegistry, registerProcessMetrics, type Registry } from "../metrics/registry.ts";
import type { Engine } from "./engine/mod.ts";
import type { Persistence } from "./store/persistence.ts";

export interface BackendMetrics {
  readonly registry: Registry;
  readonly interceptor: Interceptor;
  onWatch(kind: string, delta: 1 | -1): void;
  /** Exposes the port's connection counters and the Watch stream cap (issue 9 limits). */
  attachConnections(conns: ConnectionStats, watches: { readonly open: number; readonly rejected: number }): void;
  render(): string;
  close(): void;
}

const RPC_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export function createBackendMetrics(engine: Engine, persistence: Persistence): BackendMetrics {
  const r = createRegistry();
  const active = r.gauge("watch_streams_active_total", "Open Watch streams per resource type (the established name, though a gauge).", ["resource_type"]);
  const activeChildren = new Map(KINDS.map((k) => [k.kind, active.labels(k.plural)]));
  r.collect("watch_events_total", "Committed change events per resource type and event type.", "counter", () => {
    const out = [];
    for (const k of KINDS) {
      const p = engine.events.published.get(k.kind)!;
      for (const t of ["ADDED", "MODIFIED", "DELETED"] as const) out.push({ labels: { resource_type: k.plural, event_type: t }, value: p[t] });
    }
    return out;
  });
  const rpcs = r.counter("netguard_backend_rpc_requests_total", "Connect/gRPC requests handled, by method and result code.", ["method", "code"]);
  const rpcSeconds = r.histogram("netguard_backend_rpc_duration_seconds", "Duration of unary requests (streams: until the stream ends).", ["method"], RPC_BUCKETS);
  r.collect("netguard_event_store_ring_events", "Events held in the in-memory ring per resource type.", "gauge", () =>
    KINDS.map((k) => ({ labels: { resource_type: k.plural }, value: engine.events.ring(k.kind).size })),
  );
  r.collect("netguard_event_store_ring_capacity", "Capacity of each per-kind ring.", "gauge", () => [{ labels: {}, value: engine.events.ring(KINDS[0]!.kind).capacity }]);
  r.collect("netguard_event_store_lapped_cursors_total", "Cursors the ring overtook; they continued from the durable log.", "counter", () => [{ labels: {}, value: engine.events.stats.lapped }]);
  r.collect("netguard_event_store_expired_cursors_total", "Watch positions found below the retention floor (clients told to relist).", "counter", () => [{ labels: {}, value: engine.events.stats.expired }]);
  r.collect("netguard_event_store_log_reads_total", "Reads from the durable event log by lagging cursors.", "counter", () => [{ labels: {}, value: engine.events.stats.logReads }]);
  let logSize = 0;
  const refresh = () =>
    persistence
      .eventCount()
      .then((n) => (logSize = n))
      .catch(() => undefined);
  void refresh();
  const timer = setInterval(refresh, 5000);
  (timer as { unref?: () => void }).unref?.();
  r.collect("netguard_event_log_events", "Events retained in the durable log (refreshed every 5 s).", "gauge", () => [{ labels: {}, value: logSize }]);
  r.collect("netguard_event_log_floor_resource_version", "Retention floor: watch positions at or below it have expired.", "gauge", () => [{ labels: {}, value: engine.floorRv }]);
  // No sample without a watcher, so an alert comparing it with the floor stays silent when idle.
  r.collect("netguard_event_store_oldest_cursor_resource_version", "Position of the furthest-behind open Watch stream (caught-up streams count as the newest version).", "gauge", () => {
    const rv = engine.events.oldestPosition();
    return rv === undefined ? [] : [{ labels: {}, value: rv }];
  });
  r.collect("netguard_resource_version", "Newest committed resourceVersion.", "gauge", () => [{ labels: {}, value: engine.currentRv }]);
  r.collect("netguard_objects", "Stored objects per resource type.", "gauge", () => KINDS.map((k) => ({ labels: { resource_type: k.plural }, value: engine.index.count(k.kind) })));
  registerProcessMetrics(r);

  const children = new Map<string, { ok: ReturnType<typeof rpcs.labels>; seconds: ReturnType<typeof rpcSeconds.labels> }>();
  const perMethod = (method: string) => {
    let c = children.get(method);
    if (!c) children.set(method, (c = { ok: rpcs.labels(method, "ok"), seconds: rpcSeconds.labels(method) }));
    return c;
  };
  const done = (method: string, start: number, err: unknown) => {
    const c = perMethod(method);
    if (err === undefined) c.ok.inc();
    else rpcs.labels(method, codeName(ConnectError.from(err).code)).inc();
    c.seconds.observe((performance.now() - start) / 1000);
  };

  const interceptor: Interceptor = (next) => async (req) => {
    const method = req.method.name;
    const start = performance.now();
    // a stream its client closed early is neither a success nor an error of the server: not counted
    return callUntilEnd(next, req, (end) => {
      if (!end.cancelled) done(method, start, end.error);
    });
  };

  return {
    registry: r,
    interceptor,
    onWatch(kind, delta) {
      activeChildren.get(kind)?.inc(delta);
    },
    attachConnections(conns, watches) {
      r.collect("netguard_backend_connections_open", "Open TCP connections on the backend port.", "gauge", () => [{ labels: {}, value: conns.open }]);
      r.collect("netguard_backend_connections_rejected_total", "Connections closed at accept because backend.max_connections was reached.", "counter", () => [
        { labels: {}, value: conns.rejected },
      ]);
      r.collect("netguard_backend_connections_timed_out_total", "Connections closed by the header or idle timeout.", "counter", () => [{ labels: {}, value: conns.timedOut }]);
      r.collect("netguard_backend_watch_streams_rejected_total", "Watch calls refused with resource_exhausted (backend.max_watch_streams).", "counter", () => [
        { labels: {}, value: watches.rejected },
      ]);
    },
    render: () => r.render(),
    close: () => clearInterval(timer),
  };
}
