/**
 * The backend process: engine over a Persistence, the Connect service on one port (Connect, gRPC,
 * gRPC-Web; HTTP/2 cleartext and HTTP/1.1), health endpoints, and an orderly shutdown that ends
 * every watch with UNAVAILABLE before the sockets close.
 */
import { Code, ConnectError, createContextValues, type Interceptor } from "@connectrpc/connect";
import { NetguardService } from "../gen/netguard/v1/service_pb.ts";
import { netguardRegistry } from "../wire/registry.ts";
import { DEFAULT_CONNECTION_LIMITS, startConnectServer, type ConnectServer } from "../runtime/connect-server.ts";
import { createConnectHandler } from "../runtime/connect-handler.ts";
import { createReloadingFiles, type ReloadingFiles } from "../runtime/reloading-files.ts";
import { createTlsContextFiles } from "../runtime/tls-context-files.ts";
import { startMetricsListener, type MetricsListener } from "../runtime/metrics-listener.ts";
import { createBackendAuth, kPeerCertificate, type BackendAuth } from "./auth/backend-auth.ts";
import { parseTokenFile, type TokenTable } from "./auth/token-table.ts";
import type { ConnectionLimits } from "../runtime/connection-guard.ts";
import { createWatchStreamLimit } from "./rpc/watch-stream-limit.ts";
import { createEngine, type Engine } from "./engine/mod.ts";
import type { Persistence, RetentionPolicy } from "./store/persistence.ts";
import { createNetguardService } from "./rpc/netguard-service.ts";
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
  /** TLS, client certificates, bearer tokens, metrics address (issue 10); absent = plaintext and open. */
  access?: BackendAccessOptions;
  /** Start-up warnings and reload notices (default console.warn). */
  log?: (line: string) => void;
}

/** Who may reach the backend, and how. Files are reloaded when they change on disk. */
export interface BackendAccessOptions {
  /** Serving certificate and key (PEM files): the port speaks TLS (ALPN h2, http/1.1). */
  tls?: { certFile: string; keyFile: string; clientCaFile?: string };
  /** Bearer token file, `token,name,role` a line (see auth/token-table.ts). */
  tokenFile?: string;
  /** Separate plain-HTTP address serving only /metrics, without credentials. */
  metrics?: { host: string; port: number };
  /** Poll interval of the files above (default 1 s). */
  reloadIntervalMs?: number;
}

export interface Backend {
  readonly engine: Engine;
  readonly server: ConnectServer;
  /** "http://host:port", for clients. */
  readonly url: string;
  /** Open Watch streams per kind (a stream is counted until its handler has fully ended). */
  readonly activeWatches: ReadonlyMap<string, number>;
  readonly metrics: BackendMetrics;
  /** The separate /metrics listener, when `access.metrics` is set. */
  readonly metricsListener?: MetricsListener;
  /** Re-reads the TLS and token files now if they changed (tests; a timer does it every interval). */
  reloadFiles(): Promise<void>;
  close(): Promise<void>;
}

/** Starts the engine over `o.persistence` and serves it; resolves once the port listens. */
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
  const log = o.log ?? console.warn;
  const access = o.access ?? {};
  const files: ReloadingFiles<unknown>[] = [];
  const tlsContext = access.tls ? createTlsContextFiles(access.tls, { intervalMs: access.reloadIntervalMs, log }) : undefined;
  if (tlsContext) files.push(tlsContext);
  let tokens: ReloadingFiles<TokenTable> | undefined;
  if (access.tokenFile) {
    const file = access.tokenFile;
    tokens = createReloadingFiles([file], ([text]) => parseTokenFile(text!, file), {
      intervalMs: access.reloadIntervalMs,
      onReload: (t) => log(`backend: token file ${file} reloaded (${t.size} token(s))`),
      onError: (e) => log(`backend: token file changed but could not be loaded, keeping the previous tokens: ${e.message}`),
    });
    files.push(tokens);
  }
  const clientCertificates = !!access.tls?.clientCaFile;
  const auth: BackendAuth | undefined =
    clientCertificates || tokens ? createBackendAuth({ clientCertificates, tokens: tokens ? () => tokens.current() : undefined }) : undefined;
  const displayHost = o.host.includes(":") ? `[${o.host}]` : o.host === "0.0.0.0" ? "127.0.0.1" : o.host;
  if (!auth) {
    log(
      `backend: WARNING: no backend.tls.client_ca_file and no backend.token_file: anyone who can reach ${displayHost}:${o.port} can read and write every object`,
    );
  }
  const authInterceptors: Interceptor[] = auth ? [auth.interceptor] : [];
  const text = (status: number, body: string, headers: Record<string, string> = {}) => ({
    status,
    headers: { "content-type": "text/plain", ...headers },
    body,
  });
  const handler = createConnectHandler({
    // connect-es enforces it while reading (length prefix / Content-Length first), so an oversized
    // message is refused before it is buffered.
    readMaxBytes: o.maxMessageBytes ?? 4 * 1024 * 1024,
    // Answers are compressed (gzip or brotli, as the caller accepts) from this size on: Lists, and
    // the batched messages of Watch streams that ask for them (rpc/watch-batch.ts). Smaller
    // messages, such as a lone change, cost more to compress than they save.
    compressMinBytes: 1024,
    routes: (router) => router.service(NetguardService, service),
    // Unknown JSON fields are rejected (invalid_argument naming the key), as the API server's
    // fieldValidation=Strict and standard protobuf JSON do; connect-es would drop them silently.
    jsonOptions: { registry: netguardRegistry, ignoreUnknownFields: false },
    // Authentication before the watch cap: a refused caller holds no stream slot; after metrics: refusals are counted.
    interceptors: [metrics.interceptor, ...authInterceptors, watchLimit.interceptor],
    contextValues: (peer) => createContextValues().set(kPeerCertificate, peer),
    // Undecodable request bytes answer invalid_argument, not internal (see the gate).
    requestGate: malformedRequestGate,
    shutdownSignal: shutdown.signal,
    fallback({ path, authorization, peer }) {
      if (path === "/metrics") {
        if (auth) {
          // Same credentials as the RPCs (any role); a scraper without them uses access.metrics.
          try {
            auth.authenticate(authorization, peer, "/metrics");
          } catch (e) {
            return text(401, `${(e as ConnectError).rawMessage}\n`, { "www-authenticate": 'Bearer realm="netguard-backend"' });
          }
        }
        return text(200, metrics.render(), { "content-type": "text/plain; version=0.0.4; charset=utf-8" });
      }
      if (path === "/healthz" || path === "/readyz") {
        // Readiness (not liveness) also fails while the store is unreachable (PostgreSQL outage).
        const outage = path === "/readyz" ? o.persistence.outage?.() : undefined;
        const why = shutdown.signal.aborted ? "shutting down" : outage ? `store unavailable: ${outage}` : undefined;
        return text(why ? 503 : 200, why ? `${why}\n` : "ok\n");
      }
      return text(404, "not found\n");
    },
  });
  const stopFiles = () => files.forEach((f) => f.stop());
  let started: ConnectServer | undefined;
  let metricsListener: MetricsListener | undefined;
  try {
    started = await startConnectServer(
      o.host,
      o.port,
      handler,
      { ...DEFAULT_CONNECTION_LIMITS, ...o.connections },
      tlsContext ? { secureContext: () => tlsContext.current(), requestCert: clientCertificates } : undefined,
    );
    if (access.metrics) metricsListener = await startMetricsListener(access.metrics.host, access.metrics.port, () => metrics.render());
  } catch (e) {
    stopFiles();
    await started?.close(0);
    metrics.close();
    await engine.close();
    throw e;
  }
  const server = started;
  metrics.attachConnections(server.connections, watchLimit);
  let closing: Promise<void> | undefined;
  return {
    engine,
    server,
    url: `${tlsContext ? "https" : "http"}://${displayHost}:${server.port}`,
    activeWatches,
    metrics,
    metricsListener,
    reloadFiles: async () => void (await Promise.all(files.map((f) => f.check()))),
    close() {
      closing ??= (async () => {
        stopFiles();
        await metricsListener?.close();
        shutdown.abort(new ConnectError("server shutting down", Code.Unavailable));
        await server.close(o.shutdownGraceMs ?? 2000);
        metrics.close();
        await engine.close();
      })();
      return closing;
    },
  };
}
