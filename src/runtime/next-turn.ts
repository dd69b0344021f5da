/**
 * One event-loop turn, after the I/O poll: src/backend/rpc/caller-gone.ts waits for it so that a
 * cancellation already in the socket is seen before a write starts. `setImmediate` (node:timers)
 * has that placement on Bun, Node and Deno; a zero timer or a microtask does not promise it.
 */
import { setImmediate } from "node:timers";

/** Resolves after the event loop has polled I/O once more. */
export function afterIoPoll(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * Runs `fn` on the next event-loop turn, after the I/O callbacks of this one: what the watch flush
 * uses after a quiet spell, so every change of one backend message joins one flush without a timer.
 */
export function onNextTurn(fn: () => void): void {
  setImmediate(fn);
}
