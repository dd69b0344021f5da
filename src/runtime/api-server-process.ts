/**
 * One API server as the process runs it (moved out of src/main.ts so API-server workers can run the
 * same thing, see api-workers.ts): TLS and authentication from the configuration, the backend
 * client with its credentials, the watch hub, metrics, authorization and audit, then the listener.
 */
import { ConfigError, type Config } from "../config/config.ts";
import { createBackendClient } from "../apiserver/backend-client.ts";
import { startApiServer } from "../apiserver/api-server.ts";
import { createConfiguredAuthorizer } from "../apiserver/auth/authorizer-config.ts";
import { createConfiguredAuditLog } from "../apiserver/auth/audit-log.ts";
import { createBackendReadiness } from "../apiserver/backend-readiness.ts";
import { createWatchHub } from "../apiserver/watch/watch-hub.ts";
import { createApiServerMetrics } from "../apiserver/apiserver-metrics.ts";
import { createServingTls, type ServingTls } from "../apiserver/serving-tls.ts";
import { createApiAuthentication, type ApiAuthentication } from "../apiserver/auth/authn-setup.ts";
import { writeDevKubeconfig, type DevFiles } from "./dev/dev-bootstrap.ts";
import { loadBackendClientCredentials } from "./backend-credential-files.ts";
import { startMetricsListener } from "./metrics-listener.ts";

/** A running API server (or set of workers) as the process stops it. */
export interface RunningApiServer {
  readonly url: string;
  close(): Promise<void>;
}

export interface RunApiServerOptions {
  /** Share `api.addr` with other workers (SO_REUSEPORT); set by api-workers.ts. */
  reusePort?: boolean;
  /** The worker's number when one of several (changes the start-up line; the kubeconfig is left to the process). */
  worker?: number;
  /** Listen on this port instead of the configured one (workers after the first, when api.addr says port 0). */
  port?: number;
}

/** TLS and authentication of the API server: configured files, or the development ones (README: kubectl). */
function apiSecurity(cfg: Config, dev: DevFiles | undefined, quiet: boolean): { tls?: ServingTls; authn?: ApiAuthentication } {
  const s = cfg.apiServing;
  if (s.insecure) {
    if (!quiet) console.warn("netguard API server: WARNING: api.insecure: plain HTTP and no authentication; anyone who can reach the port can read and write every object");
    return {};
  }
  const certFile = s.tlsCertFile ?? dev?.certFile;
  const keyFile = s.tlsKeyFile ?? dev?.keyFile;
  if (!certFile || !keyFile) throw new ConfigError("config: api.tls.cert_file and api.tls.key_file are required (or api.insecure)");
  const log = (m: string) => console.warn(m);
  let tls: ServingTls;
  try {
    tls = createServingTls(
      { certFile, keyFile, clientCaFile: s.clientCaFile, requestHeaderClientCaFile: s.requestHeaderClientCaFile },
      { intervalMs: s.reloadIntervalMs, log },
    );
  } catch (e) {
    throw new ConfigError(`config: api.tls: ${(e as Error).message}`);
  }
  let authn: ApiAuthentication;
  try {
    authn = createApiAuthentication({ ...s, tokenFile: s.tokenFile ?? dev?.tokenFile }, tls, log);
  } catch (e) {
    throw new ConfigError(`config: api.token_file (env NETGUARD_API_TOKEN_FILE): ${(e as Error).message}`);
  }
  return { tls, authn };
}

/** Starts one API server against `backendEndpoint` and prints its start-up line. */
export async function runApiServer(cfg: Config, backendEndpoint: string, dev?: DevFiles, o: RunApiServerOptions = {}): Promise<RunningApiServer> {
  const metrics = createApiServerMetrics();
  const { tls, authn } = apiSecurity(cfg, dev, o.worker !== undefined && o.worker > 0);
  // TLS material and bearer token toward the backend (api.backend_tls.*, api.backend_token_file).
  const credentials = loadBackendClientCredentials(cfg.apiBackendAccess);
  const backend = createBackendClient(backendEndpoint, metrics.observeBackendCall, undefined, {
    ...cfg.backendCalls,
    tls: credentials.tls,
    token: credentials.token,
  });
  const watch = createWatchHub({
    backend,
    mode: cfg.watch.mode,
    streamingEnabled: cfg.watch.streamingEnabled,
    pollingIntervalMs: cfg.watch.pollingIntervalMs,
    streamReconnectDelayMs: cfg.watch.streamReconnectDelayMs,
    cacheCapacity: cfg.watch.cacheCapacity,
    flushDelayMs: cfg.watch.flushDelayMs,
    flushBusyFactor: cfg.watch.flushBusyFactor,
    bookmarkIntervalMs: cfg.eventStore.bookmarkIntervalMs,
    onDeliveryLatency: metrics.onDeliveryLatency,
    onFlush: metrics.onFlush,
  });
  metrics.attach(watch);
  // /readyz asks the backend with a short deadline (at most 2 s) and reuses the answer for 1 s.
  const readiness = createBackendReadiness(backend, { timeoutMs: Math.min(2000, cfg.backendCalls.timeoutMs), cacheMs: 1000 });
  const l = cfg.limits;
  const api = await startApiServer(cfg.api.host, o.port ?? cfg.api.port, {
    backend,
    watch,
    metrics,
    readiness,
    limits: {
      maxRequestBodyBytes: l.apiMaxRequestBodyBytes,
      maxUrlBytes: l.apiMaxUrlBytes,
      maxListLimit: l.apiMaxListLimit,
      maxWatches: l.apiMaxWatches,
      maxWatchesPerClient: l.apiMaxWatchesPerClient,
      idleTimeoutMs: l.apiIdleTimeoutMs,
    },
    tls,
    reusePort: o.reusePort,
    authenticate: authn?.authenticate,
    authorizer: createConfiguredAuthorizer(cfg.apiAuthorization),
    audit: cfg.apiAuditLog ? createConfiguredAuditLog(cfg.apiAuditLog) : undefined,
  });
  const who = o.worker === undefined ? "API server" : `API server worker ${o.worker}`;
  console.log(`netguard ${who} listening on ${api.url} (netguard.sgroups.io/v1beta1; backend ${backendEndpoint}; watch mode ${cfg.watch.mode})`);
  if (o.worker === undefined && dev && writeDevKubeconfig(dev, api.url)) {
    console.log(`netguard: wrote ${dev.kubeconfigFile} (user admin, ${api.url}): export KUBECONFIG=${dev.kubeconfigFile}`);
  }
  // api.metrics_addr: /metrics without credentials on its own (loopback by choice) address (one worker only: config.ts).
  const metricsListener = cfg.apiMetrics ? await startMetricsListener(cfg.apiMetrics.host, cfg.apiMetrics.port, () => metrics.render()) : undefined;
  if (metricsListener) console.log(`netguard API server metrics on ${metricsListener.url}`);
  return {
    url: api.url,
    async close() {
      await metricsListener?.close();
      credentials.stop();
      authn?.stop();
      await api.close();
      // Before the backend stops: its GOAWAY must find no client session here (see BackendClient.close).
      backend.close();
    },
  };
}
