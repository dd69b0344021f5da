/**
 * The backend process: engine over a Persistence, the Connect service on one port (Connect, gRPC,
 * gRPC-Web; HTTP/2 cleartext and HTTP/1.1), health endpoints, and an orderly shutdown that ends
 * every watch with UNAVAILABLE before the sockets close.
 */
import { createRegistry } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { file_netguard_v1_resources } from "../gen/netguard/v1/resources_pb.ts";
import { file_netguard_v1_service, NetguardService } from "../gen/netguard/v1/service_pb.ts";
import { DEFAULT_CONNECTION_LIMITS, startConnectServer, type ConnectServer } from "../runtime/connect-server.ts";
import type { ConnectionLimits } from "../runtime/connection-guard.ts";
import { createWatchStreamLimit } from "./rpc/watch-stream-limit.ts";
import { createEngine, type Engine } from "./engine/engine.ts";
import type { Persistence, RetentionPolicy } from "./store/persistence.ts";
import { createNetguardService } from "./rpc/netguard-service.ts";
import { malformedRequestGate } from "./rpc/malformed-request-gate.ts";
import { malformedRequestGate } from "./rpc/malformed-request-gate.ts";
import { createBackendMetrics, type BackendMetrics } from "./backend-metrics.ts";

export interface BackendOptions {
  host: string;
  port: number;
  persistence: Persistence;
  retention: RetentionPolicy;
  ringCapacity: number;
  bookmarkIntervalMs: number;
  trimIntervalMs?: number;
  shutdownGraceMs?: number;
  /** Most items one Sync request may carry (default DEFAULT_MAX_SYNC_ITEMS in rpc/sync-batch-limit.ts). */
  maxSyncItems?: number;
  /** Largest request message (Connect, gRPC, gRPC-Web) before resource_exhausted; default 4 MiB. */
  maxMessageBytes?: number;
  /** Concurrent Watch streams before resource_exhausted; default 4096. */
  maxWatchStreams?: number;
  /** Connection cap and header/idle timeouts of the port. */
  connections?: Partial<ConnectionLimits>;
}

export interface Backend {
  readonly engine: Engine;
  readonly server: ConnectServer;
  /** "http://host:port", for clients. */
  readonly url: string;
  /** Open Watch streams per kind (a stream is counted until its handler has fully ended). */
  readonly activeWatches: ReadonlyMap<string, number>;
  readonly metrics: BackendMetrics;
  close(): Promise<void>;
}

/** Registry so that Any-packed objects render in JSON (connect+json clients, buf curl). */
export const netguardRegistry = createRegistry(file_netguard_v1_service, file_netguard_v1_resources);

export async function startBackend(o: BackendOptions): Promise<Backend> {
  const engine = await createEngine({
    persistence: o.persistence,
    retention: o.retention,
    ringCapacity: o.ringCapacity,
    trimIntervalMs: o.trimIntervalMs ?? 1000,
  });
  const shutdown = new AbortController();
  const activeWatches = new Map<string, number>();
  const metrics = createBackendMetrics(engine, o.persistence);
  const service = createNetguardService({
    engine,
    shutdown: shutdown.signal,
    bookmarkIntervalMs: o.bookmarkIntervalMs,
    maxSyncItems: o.maxSyncItems,
    onWatch: (kind, delta) => {
      activeWatches.set(kind, (activeWatches.get(kind) ?? 0) + delta);
      metrics.onWatch(kind, delta);
    },
  });
  const watchLimit = createWatchStreamLimit(o.maxWatchStreams ?? 4096);
  const handler = connectNodeAdapter({
    // connect-es enforces it while reading (length prefix / Content-Length first), so an oversized
    // message is refused before it is buffered.
    readMaxBytes: o.maxMessageBytes ?? 4 * 1024 * 1024,
    routes: (router) => router.service(NetguardService, service),
    // Unknown JSON fields are rejected (invalid_argument naming the key), as the API server's
    // fieldValidation=Strict and standard protobuf JSON do; connect-es would drop them silently.
    jsonOptions: { registry: netguardRegistry, ignoreUnknownFields: false },
    interceptors: [metrics.interceptor, watchLimit.interceptor],
    // Undecodable request bytes answer invalid_argument, not internal (see the gate).
    requestGate: malformedRequestGate,
    // Undecodable request bytes answer invalid_argument, not internal (see the gate).
    requestGate: malformedRequestGate,
    shutdownSignal: shutdown.signal,
    fallback(req, res) {
      const path = (req.url ?? "").split("?")[0];
      if (path === "/metrics") {
        res.writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" });
        res.end(metrics.render());
        return;
      }
      if (path === "/healthz" || path === "/readyz") {
        const ready = !shutdown.signal.aborted;
        res.writeHead(ready ? 200 : 503, { "content-type": "text/plain" });
        res.end(ready ? "ok\n" : "shutting down\n");
        return;
      }
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found\n");
    },
  });
  const server = await startConnectServer(o.host, o.port, handler, { ...DEFAULT_CONNECTION_LIMITS, ...o.connections });
  metrics.attachConnections(server.connections, watchLimit);
  const displayHost = o.host.includes(":") ? `[${o.host}]` : o.host === "0.0.0.0" ? "127.0.0.1" : o.host;
  let closing: Promise<void> | undefined;
  return {
    engine,
    server,
    url: `http://${displayHost}:${server.port}`,
    activeWatches,
    metrics,
    close() {
      closing ??= (async () => {
        shutdown.abort(new ConnectError("server shutting down", Code.Unavailable));
        await server.close(o.shutdownGraceMs ?? 2000);
        metrics.close();
        await engine.close();
      })();
      return closing;
    },
  };
}
