/**
 * The process: command line, configuration, signals and exit codes (src/main.ts only loads this).
 *
 *   bun run src/main.ts [all|backend|apiserver] [--config FILE]
 *
 * `all` (the default) runs the backend and the Kubernetes API server in one process; `backend` runs
 * the backend alone; `apiserver` runs the API server against BACKEND_ENDPOINT. Settings come from
 * the YAML file (or NETGUARD_CONFIG) with environment variables on top.
 */
import { ConfigError, loadConfig, redactUrl, type Config } from "../config/config.ts";
import { openPersistence } from "../backend/open-persistence.ts";
import { startBackend, type BackendAccessOptions } from "../backend/backend.ts";
import { prepareDevFiles, type DevFiles } from "./dev/dev-bootstrap.ts";
import { serveApi } from "./api-workers.ts";
import { runImportCommand } from "../import/import-command.ts";
import { readConfigFile } from "./config-file.ts";

const USAGE = "usage: bun run src/main.ts [all|backend|apiserver] [--config FILE] [--insecure] | import --from postgres://… [--dry-run]";

interface Stoppable {
  close(): Promise<void>;
}

/** The development files when the API server has no certificate configured and is not insecure. */
function devFiles(cfg: Config): DevFiles | undefined {
  const s = cfg.apiServing;
  if (s.insecure || s.tlsCertFile) return undefined;
  const dev = prepareDevFiles(s.devDir);
  if (dev.created.length) console.log(`netguard: made development files (no api.tls.cert_file configured): ${dev.created.join(", ")}`);
  return dev;
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
  if (argv[0] === "import") process.exit(await runImportCommand(argv.slice(1), process.env));
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
  const cfg = loadConfig(readConfigFile(configPath), insecure ? { ...process.env, NETGUARD_API_INSECURE: "true" } : process.env);
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
    if (mode === "all") parts.push(await serveApi(cfg, backend.url, dev));
  } else {
    parts.push(await serveApi(cfg, cfg.backendEndpoint, dev));
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
