/**
 * Counts the backend's RPCs from its own /metrics (`netguard_backend_rpc_requests_total{method,
 * code}`): List calls are the methods named `List*` — what a polling API server costs the backend
 * while nobody changes anything. Read from outside, like any Prometheus scrape.
 */
import { benchBackendUrl, type BenchBackendAccess } from "./backend-access.ts";

/** RPCs the benchmark itself makes (its writes and position queries), left out of `fromApiServers`. */
const BENCH_METHODS = new Set(["Create", "Update", "Sync", "SyncStatus"]);

export interface RpcCounts {
  list: number;
  /** RPCs other than the benchmark's own: what the API servers cost the backend. */
  fromApiServers: number;
  /** Every RPC the backend has counted (streams count when they end). */
  total: number;
  byMethod: Record<string, number>;
}

const LINE = /^netguard_backend_rpc_requests_total\{method="([^"]+)",code="[^"]*"\}\s+([0-9.eE+-]+)$/gm;

export async function scrapeRpcCounts(port: number, access?: BenchBackendAccess): Promise<RpcCounts> {
  const init = access ? { headers: { authorization: `Bearer ${access.token}` }, tls: { ca: access.ca } } : {};
  const res = await fetch(`${benchBackendUrl(port, access)}/metrics`, init as RequestInit);
  if (!res.ok) throw new Error(`backend /metrics: HTTP ${res.status}`);
  const text = await res.text();
  const byMethod: Record<string, number> = {};
  let list = 0;
  let total = 0;
  let fromApiServers = 0;
  for (const m of text.matchAll(LINE)) {
    const v = Number(m[2]);
    byMethod[m[1]!] = (byMethod[m[1]!] ?? 0) + v;
    total += v;
    if (!BENCH_METHODS.has(m[1]!)) fromApiServers += v;
    if (m[1]!.startsWith("List")) list += v;
  }
  return { list, fromApiServers, total, byMethod };
}

/** Per-minute rates between two scrapes `ms` apart. */
export function rpcRates(a: RpcCounts, b: RpcCounts, ms: number): { listPerMin: number; apiServerRpcsPerMin: number; listCalls: number } {
  const perMin = 60_000 / ms;
  return { listPerMin: (b.list - a.list) * perMin, apiServerRpcsPerMin: (b.fromApiServers - a.fromApiServers) * perMin, listCalls: b.list - a.list };
}
