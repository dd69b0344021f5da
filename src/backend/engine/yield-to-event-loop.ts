/**
 * Hands the event loop back for one turn: pending I/O (incoming requests, health checks, watch
 * writes) runs before the promise resolves. `setImmediate` runs after the poll phase, so sockets
 * that became readable are served first; a resolved promise would not let them run at all.
 * Runtimes without it (none of Bun, Node, Deno 2 today) fall back to a zero timer.
 */
const schedule: (fn: () => void) => void =
  typeof (globalThis as { setImmediate?: unknown }).setImmediate === "function"
    ? (fn) => void (globalThis as unknown as { setImmediate(fn: () => void): unknown }).setImmediate(fn)
    : (fn) => void setTimeout(fn, 0);

/** Resolves after one turn of the event loop. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => schedule(resolve));
}
