/**
 * The product as real processes that the fault suites can kill, pause and restart in place: a
 * backend on a fixed port over one SQLite file, and an API server on a fixed port. A restart reuses
 * the port and the store, so clients keep their endpoint and the backend resumes its history, as
 * after a crash in production. Built on the system benchmark's launcher (process groups, output tail).
 */
import { freePort, launch, type Child } from "../../bench/system/launcher.ts";

/** A process the suites kill -9, SIGSTOP/SIGCONT and restart, always on the same port. */
export interface RestartableProcess {
  readonly name: string;
  readonly port: number;
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** How many times it was started. */
  readonly starts: number;
  /** Whether it is running (started and not killed). */
  readonly running: boolean;
  start(): Promise<void>;
  /** SIGKILL to the process group; resolves when it has exited. */
  kill9(): Promise<void>;
  /** SIGSTOP: the process stays, its sockets stay open, nothing is answered. */
  pause(): void;
  /** SIGCONT after pause. */
  resume(): void;
  /** The last output (to explain a failure). */
  tail(): string;
  /** Resumes if paused, then SIGTERM (SIGKILL after a grace); safe to call twice. */
  stop(): Promise<void>;
}

interface Spec {
  name: string;
  args: string[];
  env: (port: number) => Record<string, string>;
  ready: RegExp;
}

async function waitExit(child: Child): Promise<void> {
  if (child.exit !== undefined) return;
  await new Promise<void>((resolve) => child.process.once("exit", () => resolve()));
}

function restartable(spec: Spec, port: number): RestartableProcess {
  let child: Child | undefined;
  let paused = false;
  let starts = 0;
  let lastTail = "";
  const signal = (sig: NodeJS.Signals) => {
    if (!child) return;
    try {
      process.kill(-child.pid, sig);
    } catch {
      // already gone
    }
  };
  return {
    name: spec.name,
    port,
    url: `http://127.0.0.1:${port}`,
    get starts() {
      return starts;
    },
    get running() {
      return child !== undefined;
    },
    async start() {
      if (child) throw new Error(`${spec.name} is already running`);
      // The port was just released by the killed process; a bind can still race, so retry briefly.
      for (let attempt = 1; ; attempt++) {
        try {
          child = await launch({ name: spec.name, args: spec.args, env: spec.env(port), ready: spec.ready, readyTimeoutMs: 30_000 });
          break;
        } catch (e) {
          if (attempt >= 5 || !/EADDRINUSE|address already in use/i.test(String(e))) throw e;
          await new Promise((r) => setTimeout(r, 200 * attempt));
        }
      }
      starts++;
      paused = false;
    },
    async kill9() {
      const c = child;
      if (!c) return;
      signal("SIGKILL");
      await waitExit(c);
      lastTail = c.tail();
      await c.stop(0); // unregisters the cleanup; the group is gone already
      child = undefined;
      paused = false;
    },
    pause() {
      signal("SIGSTOP");
      paused = true;
    },
    resume() {
      signal("SIGCONT");
      paused = false;
    },
    tail: () => child?.tail() ?? lastTail,
    async stop() {
      const c = child;
      if (!c) return;
      if (paused) signal("SIGCONT");
      lastTail = c.tail();
      await c.stop(2000);
      child = undefined;
      paused = false;
    },
  };
}

export interface BackendProcessOptions {
  /** SQLite file (created on first start). */
  storePath: string;
  /** Extra environment (e.g. NETGUARD_RING_CAPACITY). */
  env?: Record<string, string>;
}

/** A backend (`src/main.ts backend`) on a free port over `sqlite:<storePath>`; not started yet. */
export async function backendProcess(o: BackendProcessOptions): Promise<RestartableProcess> {
  const port = await freePort();
  return restartable(
    {
      name: "backend",
      args: ["src/main.ts", "backend"],
      env: (p) => ({
        NETGUARD_BACKEND_ADDR: `127.0.0.1:${p}`,
        NETGUARD_STORAGE: `sqlite:${o.storePath}`,
        NETGUARD_BOOKMARK_INTERVAL: "1s",
        NETGUARD_SHUTDOWN_GRACE: "200ms",
        ...o.env,
      }),
      ready: /backend listening on/,
    },
    port,
  );
}

/** An API server (`src/main.ts apiserver`, streaming mode) on a free port against `backendEndpoint`. */
export async function apiServerProcess(backendEndpoint: string, env: Record<string, string> = {}): Promise<RestartableProcess> {
  const port = await freePort();
  return restartable(
    {
      name: "API server",
      args: ["src/main.ts", "apiserver"],
      env: (p) => ({
        NETGUARD_API_ADDR: `127.0.0.1:${p}`,
        NETGUARD_API_INSECURE: "true",
        BACKEND_ENDPOINT: backendEndpoint,
        WATCH_MODE: "streaming",
        WATCH_STREAM_RECONNECT_DELAY: "100ms",
        NETGUARD_BOOKMARK_INTERVAL: "1s",
        NETGUARD_SHUTDOWN_GRACE: "200ms",
        ...env,
      }),
      ready: /API server listening on/,
    },
    port,
  );
}
