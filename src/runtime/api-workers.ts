/**
 * API-server worker mode (`api.workers` > 1): N threads, each a whole API server — its own backend
 * client, backend Watch streams and watch caches — listening on one port with SO_REUSEPORT, so the
 * kernel spreads connections over them and more than one thread writes to watch sockets (one event
 * loop pays the native write of every watch socket; see README "System benchmark").
 *
 * Threads rather than processes: one pid to supervise and signal, one RSS to read. The first worker
 * binds first (so `api.addr` port 0 picks one port, which the others then share); `close()` asks
 * every worker to close like a single server does (watches end, listeners close) and waits for it,
 * terminating a worker that does not answer within the grace. A worker that dies on its own takes
 * the process down (exit 1), so whatever restarts the process restarts all workers.
 */
import { Worker } from "node:worker_threads";
import type { Config } from "../config/config.ts";
import type { DevFiles } from "./dev/dev-bootstrap.ts";
import { writeDevKubeconfig } from "./dev/dev-bootstrap.ts";
import { runApiServer, type RunningApiServer } from "./api-server-process.ts";

/** What a worker is started with (structured-cloned into the thread). */
export interface WorkerInit {
  cfg: Config;
  backendEndpoint: string;
  dev?: DevFiles;
  index: number;
  /** The port to share (set for every worker after the first). */
  port?: number;
}

/** Worker → parent. */
export type WorkerMessage = { type: "ready"; url: string } | { type: "failed"; message: string } | { type: "stopped" };

export interface ApiWorkersOptions {
  /** How long close() waits for a worker to end its watches before terminating it (default 10 s). */
  graceMs?: number;
  /** A worker died on its own (default: log and exit the process with code 1). */
  onWorkerExit?: (index: number, code: number) => void;
}

interface Running {
  worker: Worker;
  stopped: Promise<void>;
}

const ENTRY = new URL("./api-worker-entry.ts", import.meta.url);

function startOne(init: WorkerInit, o: ApiWorkersOptions, closing: () => boolean): Promise<{ running: Running; url: string }> {
  const worker = new Worker(ENTRY, { workerData: init });
  let onStopped: () => void = () => undefined;
  const stopped = new Promise<void>((r) => (onStopped = r));
  return new Promise((resolve, reject) => {
    let ready = false;
    worker.on("message", (m: WorkerMessage) => {
      if (m.type === "ready") {
        ready = true;
        resolve({ running: { worker, stopped }, url: m.url });
      } else if (m.type === "failed") {
        // A worker that could not listen holds nothing worth a graceful stop.
        void worker.terminate();
        reject(new Error(`API server worker ${init.index}: ${m.message}`));
      } else onStopped();
    });
    worker.on("error", (e: Error) => {
      if (!ready) reject(new Error(`API server worker ${init.index}: ${e.message}`));
    });
    worker.on("exit", (code) => {
      onStopped();
      if (!ready) reject(new Error(`API server worker ${init.index} exited (code ${code}) before it listened`));
      else if (!closing()) (o.onWorkerExit ?? defaultOnExit)(init.index, code);
    });
  });
}

function defaultOnExit(index: number, code: number): void {
  console.error(`netguard API server worker ${index} exited (code ${code}); stopping the process`);
  process.exit(1);
}

/** Starts `count` API-server workers on `cfg.api.addr` and resolves once every one listens. */
export async function startApiWorkers(count: number, cfg: Config, backendEndpoint: string, dev?: DevFiles, o: ApiWorkersOptions = {}): Promise<RunningApiServer> {
  let closing = false;
  const running: Running[] = [];
  const stopAll = async () => {
    closing = true;
    const graceMs = o.graceMs ?? 10_000;
    await Promise.all(
      running.map(async ({ worker, stopped }) => {
        worker.postMessage("stop");
        let timer: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([stopped, new Promise<void>((r) => (timer = setTimeout(r, graceMs)))]);
        clearTimeout(timer);
        await worker.terminate();
      }),
    );
  };
  try {
    const first = await startOne({ cfg, backendEndpoint, dev, index: 0 }, o, () => closing);
    running.push(first.running);
    const port = Number(new URL(first.url).port);
    const rest = await Promise.allSettled(
      Array.from({ length: count - 1 }, (_, i) => startOne({ cfg, backendEndpoint, dev, index: i + 1, port }, o, () => closing)),
    );
    for (const r of rest) if (r.status === "fulfilled") running.push(r.value.running);
    const failed = rest.find((r) => r.status === "rejected");
    if (failed) throw failed.reason;
    return { url: first.url, close: stopAll };
  } catch (e) {
    await stopAll();
    throw e;
  }
}

/**
 * The API server as configured: one in this thread (`api.workers` 1, the default) or that many
 * workers on one port; prints the start-up line the process is known by either way.
 */
export async function serveApi(cfg: Config, backendEndpoint: string, dev?: DevFiles): Promise<RunningApiServer> {
  if (cfg.apiWorkers <= 1) return runApiServer(cfg, backendEndpoint, dev);
  const api = await startApiWorkers(cfg.apiWorkers, cfg, backendEndpoint, dev);
  console.log(`netguard API server listening on ${api.url} (${cfg.apiWorkers} workers; netguard.sgroups.io/v1beta1; backend ${backendEndpoint}; watch mode ${cfg.watch.mode})`);
  if (dev && writeDevKubeconfig(dev, api.url)) console.log(`netguard: wrote ${dev.kubeconfigFile} (user admin, ${api.url}): export KUBECONFIG=${dev.kubeconfigFile}`);
  return api;
}
