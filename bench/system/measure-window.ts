/**
 * A measurement window: everything the benchmark reads from outside at its start and end — the
 * backend's RPC counters, the kernel's byte counts on the API server↔backend hop, CPU and RSS of the backend and the API server
 * from /proc, the client process's CPU — turned into per-window figures.
 */
import { rpcRates, scrapeRpcCounts, type RpcCounts } from "./backend-rpc-counter.ts";
import type { BenchBackendAccess } from "./backend-access.ts";
import type { WireCounter, WireCounts } from "./wire-counter.ts";
import type { Child } from "./launcher.ts";
import { procDelta, sampleProc, type ProcDelta, type ProcSample } from "./proc-stats.ts";

export interface WindowFigures {
  ms: number;
  listCalls: number;
  listPerMin: number;
  /** RPCs the API server made (everything but the benchmark's own writes), per minute. */
  apiServerRpcsPerMin: number;
  /** Bytes between the API server and the backend (both directions). */
  wireBytes: number;
  wireUp: number;
  wireDown: number;
  wireBytesPerMin: number;
  backend: ProcDelta;
  apiServer: ProcDelta;
  client: ProcDelta;
  /** This process: the writer and the counting proxies. */
  bench: ProcDelta;
}

interface Marks {
  t: number;
  rpc: RpcCounts;
  wire: WireCounts;
  backend?: ProcSample;
  api?: ProcSample;
  client?: ProcSample;
  bench?: ProcSample;
}

export interface WindowTargets {
  backendPort: number;
  /** Credentials for the backend's /metrics when it runs with `--backend-tls`. */
  backendAccess?: BenchBackendAccess;
  backend: Child;
  apiServer: Child;
  wire: WireCounter;
  client: Child;
}

async function mark(t: WindowTargets): Promise<Marks> {
  const rpc = await scrapeRpcCounts(t.backendPort, t.backendAccess);
  const wire = await t.wire.counts();
  return { t: performance.now(), rpc, wire, backend: t.backend.sample(), api: t.apiServer.sample(), client: t.client.sample(), bench: sampleProc(process.pid) };
}

/** Opens a window now; `close()` returns its figures. */
export async function openWindow(t: WindowTargets): Promise<{ close(): Promise<WindowFigures> }> {
  const a = await mark(t);
  return {
    async close() {
      const b = await mark(t);
      const ms = b.t - a.t;
      const r = rpcRates(a.rpc, b.rpc, ms);
      const up = b.wire.up - a.wire.up;
      const down = b.wire.down - a.wire.down;
      return {
        ms,
        listCalls: r.listCalls,
        listPerMin: r.listPerMin,
        apiServerRpcsPerMin: r.apiServerRpcsPerMin,
        wireBytes: up + down,
        wireUp: up,
        wireDown: down,
        wireBytesPerMin: ((up + down) * 60_000) / ms,
        backend: procDelta(a.backend, b.backend),
        apiServer: procDelta(a.api, b.api),
        client: procDelta(a.client, b.client),
        bench: procDelta(a.bench, b.bench),
      };
    },
  };
}
