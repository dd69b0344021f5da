/**
 * The system under test, as real processes: one backend (`src/main.ts backend`) and API servers
 * (`src/main.ts apiserver`) in a chosen watch mode, each connected to the backend directly, its
 * bytes on that hop counted by the kernel (wire-counter.ts). Only 127.0.0.1 and free ports are used.
 */
import { join } from "node:path";
import { createWireCounter, type WireCounter } from "./wire-counter.ts";
import { freePort, launch, type Child } from "./launcher.ts";
import type { BenchBackendAccess } from "./backend-access.ts";
import { BACKEND_ALLOCATOR_ENV } from "../../src/runtime/allocator-env.ts";

export interface BackendProc {
  child: Child;
  port: number;
  /** Set when the backend runs with TLS and checks callers (`--backend-tls`). */
  access?: BenchBackendAccess;
}

export interface ApiServerProc {
  child: Child;
  port: number;
  mode: "streaming" | "polling";
  /** Bytes between this API server and the backend. */
  wire: WireCounter;
  stop(): Promise<void>;
}

/** Starts the backend with the given NETGUARD_STORAGE; `root` runs another checkout's src/main.ts (before/after runs). */
export async function startBackendProc(storage: string, access?: BenchBackendAccess, root?: string): Promise<BackendProc> {
  const port = await freePort();
  const child = await launch({
    name: "backend",
    args: [root ? join(root, "src", "main.ts") : "src/main.ts", "backend"],
    // The backend's allocator settings, as its StatefulSet sets them (src/runtime/allocator-env.ts).
    env: { ...BACKEND_ALLOCATOR_ENV, NETGUARD_BACKEND_ADDR: `127.0.0.1:${port}`, NETGUARD_STORAGE: storage, ...access?.backendEnv },
    ready: /backend listening on/,
  });
  return { child, port, access };
}

/**
 * Starts an API server in `mode` connected to the backend, with a wire counter on its connections
 * to it (wire-counter.ts: the kernel's byte counts, nothing on the hop);
 * `workers` > 1 runs it in worker mode (NETGUARD_API_WORKERS: that many threads on one port);
 * `flushDelay` sets WATCH_FLUSH_DELAY (the shortest coalescing window of flushes to watchers),
 * `busyFactor` WATCH_FLUSH_BUSY_FACTOR (the window in flush durations); `root` runs
 * another checkout's src/main.ts (before/after runs).
 */
export async function startApiServerProc(
  mode: "streaming" | "polling",
  backendPort: number,
  pollingInterval = "5s",
  access?: BenchBackendAccess,
  o: { workers?: number; flushDelay?: string; busyFactor?: string; root?: string } = {},
): Promise<ApiServerProc> {
  const workers = o.workers ?? 1;
  const port = await freePort();
  const child = await launch({
    name: `API server (${mode}${workers > 1 ? `, ${workers} workers` : ""}${o.flushDelay !== undefined ? `, flush ${o.flushDelay}` : ""}${o.busyFactor !== undefined ? `, busy factor ${o.busyFactor}` : ""})`,
    args: [o.root ? join(o.root, "src", "main.ts") : "src/main.ts", "apiserver"],
    env: {
      NETGUARD_API_ADDR: `127.0.0.1:${port}`,
      NETGUARD_API_INSECURE: "true",
      BACKEND_ENDPOINT: `127.0.0.1:${backendPort}`,
      WATCH_MODE: mode,
      WATCH_POLLING_INTERVAL: pollingInterval,
      NETGUARD_API_WORKERS: String(workers),
      ...(o.flushDelay !== undefined ? { WATCH_FLUSH_DELAY: o.flushDelay } : {}),
      ...(o.busyFactor !== undefined ? { WATCH_FLUSH_BUSY_FACTOR: o.busyFactor } : {}),
      ...access?.apiServerEnv,
    },
    ready: /API server listening on/,
  });
  return {
    child,
    port,
    mode,
    wire: createWireCounter(child.pid, backendPort),
    stop: () => child.stop(),
  };
}
