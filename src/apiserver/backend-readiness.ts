/**
 * `/readyz` of the API server: ready only while the backend answers. The API server holds no data
 * of its own, so a stopped or unreachable backend makes every request fail — a load balancer or
 * kubelet should stop sending traffic here until it is back. The check is one cheap RPC with a short
 * deadline, and its answer is cached briefly so frequent probes never hammer the backend.
 * `/livez` and `/healthz` stay process liveness (restarting the API server does not fix a backend).
 */
import { ConnectError } from "@connectrpc/connect";
import type { BackendClient } from "./backend-client.ts";

export interface ReadinessResult {
  ok: boolean;
  /** Why the backend check failed (empty when ok). */
  reason: string;
}

export interface BackendReadiness {
  check(): Promise<ReadinessResult>;
}

export interface BackendReadinessOptions {
  /** Deadline of one check (default 2 s). */
  timeoutMs?: number;
  /** How long a result is reused (default 1 s). */
  cacheMs?: number;
}

/** A readiness check of `backend`; concurrent probes share one RPC. */
export function createBackendReadiness(backend: BackendClient, o: BackendReadinessOptions = {}): BackendReadiness {
  const timeoutMs = o.timeoutMs ?? 2000;
  const cacheMs = o.cacheMs ?? 1000;
  let cached: { at: number; result: ReadinessResult } | undefined;
  let inflight: Promise<ReadinessResult> | undefined;
  const run = async (): Promise<ReadinessResult> => {
    try {
      await backend.withCall({ deadlineAt: Date.now() + timeoutMs }).ping();
      return { ok: true, reason: "" };
    } catch (e) {
      return { ok: false, reason: e instanceof ConnectError ? e.rawMessage : String(e) };
    }
  };
  return {
    check() {
      if (cached && Date.now() - cached.at < cacheMs) return Promise.resolve(cached.result);
      inflight ??= run().then((result) => {
        cached = { at: Date.now(), result };
        inflight = undefined;
        return result;
      });
      return inflight;
    },
  };
}

/**
 * kube-apiserver's health output: one `[+]name ok` / `[-]name failed: reason` line per check and a
 * last line saying whether the check passed; the lines only with `?verbose` or on failure. Unlike
 * kube-apiserver (500, "reason withheld") a failure answers 503 Service Unavailable with the reason,
 * which says what to fix and is what load balancers expect from a server that is alive but unable
 * to serve.
 */
export function readyzResponse(url: URL, checks: { name: string; result: ReadinessResult }[]): Response {
  const ok = checks.every((c) => c.result.ok);
  const headers = { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff", "cache-control": "no-store" };
  if (ok && !url.searchParams.has("verbose")) return new Response("ok", { headers });
  const lines = [
    "[+]ping ok",
    ...checks.map((c) => (c.result.ok ? `[+]${c.name} ok` : `[-]${c.name} failed: ${c.result.reason}`)),
    `readyz check ${ok ? "passed" : "failed"}`,
  ];
  return new Response(`${lines.join("\n")}\n`, { status: ok ? 200 : 503, headers });
}
