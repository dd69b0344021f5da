/**
 * Waiting for a resourceVersion that has not been reached yet. kube-apiserver's watch cache blocks
 * a read that asks for a newer resourceVersion than it has seen for a short while (3 s) and then
 * answers 504 Timeout with a `ResourceVersionTooLarge` cause, so that clients (reflectors) retry
 * instead of reading stale data. The same wait and the same answer are used here for lists and
 * watch-list requests.
 */
import { sleep } from "./watch/backoff.ts";
import { StatusError, type StatusBody } from "./status.ts";

/** kube-apiserver's wait for a too-new resourceVersion (the watch cache's blockTimeout). */
export const RESOURCE_VERSION_WAIT_MS = 3000;

/** What kube-apiserver puts in details.retryAfterSeconds of a too-large resourceVersion. */
export const RESOURCE_VERSION_RETRY_SECONDS = 1;

/** How often the current resourceVersion is looked at while waiting. */
const POLL_MS = 25;

/** The 504 Timeout Status of a resourceVersion the server has not reached, worded as Kubernetes does. */
export function tooLargeResourceVersionStatus(requested: string | number, current: number): StatusBody {
  return {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message: `Timeout: Too large resource version: ${requested}, current: ${current}`,
    reason: "Timeout",
    details: {
      causes: [{ reason: "ResourceVersionTooLarge", message: "Too large resource version" }],
      retryAfterSeconds: RESOURCE_VERSION_RETRY_SECONDS,
    },
    code: 504,
  };
}

/** The same, as an error to throw from a request handler. */
export function tooLargeResourceVersion(requested: string | number, current: number): StatusError {
  return new StatusError(tooLargeResourceVersionStatus(requested, current));
}

export interface ResourceVersionWait {
  /** The position to reach. */
  target: number;
  /** Reads the current position (may ask the backend). */
  current: () => number | Promise<number>;
  /** How long to wait at most. */
  waitMs: number;
  signal?: AbortSignal;
}

/**
 * Waits until `current()` reaches `target` or `waitMs` passes (or the request is aborted).
 * Returns whether it was reached and the last position seen (for the error message).
 */
export async function waitForResourceVersion(w: ResourceVersionWait): Promise<{ reached: boolean; current: number }> {
  const deadline = Date.now() + Math.max(0, w.waitMs);
  let current = 0;
  for (;;) {
    // A backend that does not answer must not stretch the wait: each look is cut at the deadline.
    const seen = await withinDeadline(w.current(), deadline);
    if (seen === undefined) return { reached: false, current };
    current = seen;
    if (current >= w.target) return { reached: true, current };
    if (Date.now() >= deadline || w.signal?.aborted) return { reached: false, current };
    await sleep(Math.min(POLL_MS, Math.max(1, deadline - Date.now())), w.signal);
  }
}

/** The value of `v`, or undefined once `deadline` passes first (the timer is always cleared). */
async function withinDeadline<T>(v: T | Promise<T>, deadline: number): Promise<T | undefined> {
  if (!(v instanceof Promise)) return v;
  let expire: () => void = () => {};
  const late = new Promise<undefined>((resolve) => (expire = () => resolve(undefined)));
  const timer = setTimeout(expire, Math.max(0, deadline - Date.now()));
  try {
    return await Promise.race([v, late]);
  } finally {
    clearTimeout(timer);
  }
}
