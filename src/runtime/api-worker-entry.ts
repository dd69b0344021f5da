/**
 * The body of one API-server worker thread (started by api-workers.ts): runs the same API server as
 * a single-worker process (api-server-process.ts) on the shared port, tells the parent when it
 * listens, and closes — ending its watches the way a single server does — when the parent says
 * "stop".
 */
import { parentPort, workerData } from "node:worker_threads";
import { runApiServer, type RunningApiServer } from "./api-server-process.ts";
import type { WorkerInit, WorkerMessage } from "./api-workers.ts";

const init = workerData as WorkerInit;
const port = parentPort!;
const send = (m: WorkerMessage) => port.postMessage(m);

let server: RunningApiServer | undefined;
try {
  server = await runApiServer(init.cfg, init.backendEndpoint, init.dev, { reusePort: true, worker: init.index, port: init.port });
  send({ type: "ready", url: server.url });
} catch (e) {
  send({ type: "failed", message: e instanceof Error ? e.message : String(e) });
}

port.on("message", (m: unknown) => {
  if (m !== "stop") return;
  void (async () => {
    try {
      await server?.close();
    } finally {
      send({ type: "stopped" });
    }
  })();
});
