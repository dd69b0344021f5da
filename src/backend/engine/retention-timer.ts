/**
 * The retention timer: trims the durable event log every `intervalMs` (0 disables it; tests call
 * trimNow). Unref'd, so it never keeps a process alive; a failed trim waits for the next tick.
 */

/** Starts the timer; the returned function stops it. */
export function startRetentionTimer(intervalMs: number | undefined, trim: () => Promise<unknown>): () => void {
  if (!intervalMs || intervalMs <= 0) return () => undefined;
  const timer = setInterval(() => void trim().catch(() => undefined), intervalMs);
  (timer as { unref?: () => void }).unref?.();
  return () => clearInterval(timer);
}
