/**
 * Deadlines on the API server's calls to the backend. A stopped or wedged backend must not hold a
 * Kubernetes request for ever: every unary call gets a deadline, and when it passes the client
 * learns it in kube-apiserver's own words — `504 Timeout`. A write that timed out after it was sent
 * may still be applied by the backend later, so its message says that its outcome is unknown.
 */
import { Code, ConnectError } from "@connectrpc/connect";

/** Per-call options the API server passes to every backend call. */
export interface CallOptions {
  /** Aborts the call (the HTTP client went away); a write not yet sent is then never sent. */
  signal?: AbortSignal;
  /** Absolute end (ms since epoch) of the whole Kubernetes request (`?timeout=`), if any. */
  deadlineAt?: number;
}

/** The backend methods that change state: a timeout there leaves the outcome unknown. */
const WRITES = new Set(["Create", "Update", "UpdateStatus", "Delete", "Sync"]);

/** Human duration as Go prints it for whole units ("10s", "1.5s", "250ms"). */
export function formatDuration(ms: number): string {
  return ms >= 1000 ? `${Number((ms / 1000).toFixed(3))}s` : `${Math.max(0, Math.round(ms))}ms`;
}

/**
 * The timeout for one call: the configured per-call deadline, shortened to what is left of the
 * request's own deadline (kube-apiserver lets `?timeout=` shorten a request, not lengthen it).
 */
export function callTimeoutMs(perCallMs: number, deadlineAt: number | undefined, now = Date.now()): number {
  if (deadlineAt === undefined) return perCallMs;
  return Math.min(perCallMs, Math.max(1, deadlineAt - now));
}

/**
 * The error thrown when a call to `method` did not finish within `ms`. Reads say that the backend did
 * not answer; writes use kube-apiserver's wording ("request did not complete within requested
 * timeout") and add that the write may or may not have been applied, so a client re-reads before it
 * retries. `byRequest`: the request's own `?timeout=` set the deadline, not the configured one.
 */
export function deadlineError(method: string, ms: number, byRequest = false): ConnectError {
  // When `?timeout=` cut the call short, the time left is an odd number; name the cause instead.
  const waited = `the backend did not answer within ${byRequest ? "the request's timeout" : formatDuration(ms)}`;
  const message = WRITES.has(method)
    ? `Timeout: request did not complete within requested timeout - ${waited}; the ${method} may or may not have been applied: read the object before retrying`
    : `Timeout: ${waited}`;
  return new ConnectError(message, Code.DeadlineExceeded);
}
