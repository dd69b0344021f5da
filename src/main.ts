/**
 * CLI entry point.
 *
 *   bun run src/main.ts [all|backend|apiserver] [--config FILE]
 *
 * `all` (the default) runs the backend and the Kubernetes API server in one process; `backend` runs
 * the backend alone; `apiserver` runs the API server against BACKEND_ENDPOINT. Settings come from
 * the YAML file (or NETGUARD_CONFIG) with environment variables on top.
 */
import { readFileSync } from "node:fs";
import { ConfigError, loadConfig, redactUrl, type Config } from "./config/config.ts";
import { openPersistence } from "./backend/open-persistence.ts";
import { startBackend, type BackendAccessOptions } from "./backend/backend.ts";
import { createBackendClient } from "./apiserver/backend-client.ts";
import { startApiServer } from "./apiserver/api-server.ts";
import { createConfiguredAuthorizer } from "./apiserver/auth/authorizer-config.ts";
import { createConfiguredAuditLog } from "./apiserver/auth/audit-log.ts";
import { createBackendReadiness } from "./apiserver/backend-readiness.ts";
import { createWatchHub } from "./apiserver/watch/watch-hub.ts";
import { createApiServerMetrics } from "./apiserver/apiserver-metrics.ts";
import { createServingTls, type ServingTls } from "./apiserver/serving-tls.ts";
import { createApiAuthentication, type ApiAuthentication } from "./apiserver/auth/authn-setup.ts";
import { prepareDevFiles, writeDevKubeconfig, type DevFiles } from "./dev/dev-bootstrap.ts";
import { loadBackendClientCredentials } from "./runtime/backend-credential-files.ts";
import { startMetricsListener } from "./runtime/metrics-listener.ts";
import { runImportCommand } from "./import/import-command.ts";

const USAGE = "usage: bun run src/main.ts [all|backend|apiserver] [--config FILE] [--insecure] | import --from postgres://… [--dry-run]";

interface Stoppable {
  close(): Promise<void>;
}

/** TLS and authentication of the API server: configured files, or the development ones (README: kubectl). */
function apiSecurity(cfg: Config, dev: DevFiles | undefined): { tls?: ServingTls; authn?: ApiAuthentication } {
  const s = cfg.apiServing;
  if (s.insecure) {
    console.warn("netguard API server: WARNING: api.insecure: plain HTTP and no authentication; anyone who can reach the port can read and write every object");
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

/** The development files when the API server has no certificate configured and is not insecure. */
function devFiles(cfg: Config): DevFiles | undefined {
  const s = cfg.apiServing;
  if (s.insecure || s.tlsCertFile) return undefined;
  const dev = prepareDevFiles(s.devDir);
  if (dev.created.length) console.log(`netguard: made development files (no api.tls.cert_file configured): ${dev.created.join(", ")}`);
  return dev;
}

async function runApiServer(cfg: Config, backendEndpoint: string, dev?: DevFiles): Promise<Stoppable> {
  const metrics = createApiServerMetrics();
  const { tls, authn } = apiSecurity(cfg, dev);
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
    bookmarkIntervalMs: cfg.eventStore.bookmarkIntervalMs,
    onDeliveryLatency: metrics.onDeliveryLatency,
  });
  metrics.attach(watch);
  // /readyz asks the backend with a short deadline (at most 2 s) and reuses the answer for 1 s.
  const readiness = createBackendReadiness(backend, { timeoutMs: Math.min(2000, cfg.backendCalls.timeoutMs), cacheMs: 1000 });
  const l = cfg.limits;
  const api = await startApiServer(cfg.api.host, cfg.api.port, {
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
    authenticate: authn?.authenticate,
    authorizer: createConfiguredAuthorizer(cfg.apiAuthorization),
    audit: cfg.apiAuditLog ? createConfiguredAuditLog(cfg.apiAuditLog) : undefined,
  });
  console.log(`netguard API server listening on ${api.url} (netguard.sgroups.io/v1beta1; backend ${backendEndpoint}; watch mode ${cfg.watch.mode})`);
  if (dev && writeDevKubeconfig(dev, api.url)) console.log(`netguard: wrote ${dev.kubeconfigFile} (user admin, ${api.url}): export KUBECONFIG=${dev.kubeconfigFile}`);
  // api.metrics_addr: /metrics without credentials on its own (loopback by choice) address.
  const metricsListener = cfg.apiMetrics ? await startMetricsListener(cfg.apiMetrics.host, cfg.apiMetrics.port, () => metrics.render()) : undefined;
  if (metricsListener) console.log(`netguard API server metrics on ${metricsListener.url}`);
  return {
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

/** Backend TLS, client CA, token file and metrics address from the configuration (issue 10). */
function backendAccessOptions(cfg: Config): BackendAccessOptions {
  const a = cfg.backendAccess;
  return {
    tls: a.tlsCertFile && a.tlsKeyFile ? { certFile: a.tlsCertFile, keyFile: a.tlsKeyFile, clientCaFile: a.clientCaFile } : undefined,
    tokenFile: a.tokenFile,
    metrics: a.metrics,
  };
}

async function runBackend(cfg: Config): Promise<Stoppable & { url: string }> {
  const backend = await startBackend({
    host: cfg.backend.host,
    port: cfg.backend.port,
    persistence: await openPersistence(cfg.storage),
    retention: cfg.retention,
    ringCapacity: cfg.eventStore.ringCapacity,
    bookmarkIntervalMs: cfg.eventStore.bookmarkIntervalMs,
    shutdownGraceMs: cfg.shutdownGraceMs,
    maxMessageBytes: cfg.limits.backendMaxMessageBytes,
    maxSyncItems: cfg.limits.backendMaxSyncItems,
    maxWatchStreams: cfg.limits.backendMaxWatchStreams,
    connections: {
      maxConnections: cfg.limits.backendMaxConnections,
      headerTimeoutMs: cfg.limits.backendHeaderTimeoutMs,
      idleTimeoutMs: cfg.limits.backendIdleTimeoutMs,
    },
    access: backendAccessOptions(cfg),
  });
  const store = cfg.storage.kind === "memory" ? "memory" : cfg.storage.kind === "postgres" ? redactUrl(cfg.storage.path) : `sqlite ${cfg.storage.path}`;
  console.log(`netguard backend listening on ${backend.url} (connect, grpc, grpc-web; store: ${store}; rv ${backend.engine.currentRv})`);
  if (backend.metricsListener) console.log(`netguard backend metrics on ${backend.metricsListener.url}`);
  return backend;
}

async function main(argv: string[]): Promise<void> {
  // `import --from postgres://…`: migrate an upstream database into the store, then exit (README).
  if (argv[0] === "import") process.exit(await runImportCommand(argv.slice(1)));
  let mode = "all";
  let configPath = process.env.NETGUARD_CONFIG;
  let insecure = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--config") configPath = argv[++i];
    else if (a === "--insecure") insecure = true;
    else if (a.startsWith("--config=")) configPath = a.slice(9);
    else if (a === "-h" || a === "--help") {
      console.log(USAGE);
      return;
    } else if (a === "all" || a === "backend" || a === "apiserver") mode = a;
    else throw new ConfigError(`unknown argument "${a}"\n${USAGE}`);
  }
  let text: string | undefined;
  if (configPath) {
    try {
      text = readFileSync(configPath, "utf8");
    } catch (e) {
      throw new ConfigError(`config: cannot read ${configPath}: ${(e as Error).message}`);
    }
  }
  const cfg = loadConfig(text, insecure ? { ...process.env, NETGUARD_API_INSECURE: "true" } : process.env);
  const dev = mode === "backend" ? undefined : devFiles(cfg);
  // All-in-one in development mode: the backend accepts only the API server's generated token
  // (unless backend tokens are configured), and the API server presents it.
  if (mode === "all" && dev && !cfg.backendAccess.tokenFile && !cfg.apiBackendAccess.tokenFile) {
    cfg.backendAccess.tokenFile = dev.backendTokensFile;
    cfg.apiBackendAccess.tokenFile = dev.backendTokenFile;
  }
  const parts: Stoppable[] = [];
  if (mode === "all" || mode === "backend") {
    const backend = await runBackend(cfg);
    parts.push(backend);
    // All-in-one still goes through Connect: the API server never touches the store directly.
    if (mode === "all") parts.push(await runApiServer(cfg, backend.url, dev));
  } else {
    parts.push(await runApiServer(cfg, cfg.backendEndpoint, dev));
  }

  let stopping = false;
  const stop = async (sig: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${sig}: shutting down`);
    for (const p of parts.reverse()) await p.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main(process.argv.slice(2)).catch((e: unknown) => {
  if (e instanceof ConfigError) console.error(e.message);
  else console.error(`fatal: ${(e as Error)?.stack ?? e}`);
  process.exit(2);
});
