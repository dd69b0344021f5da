/**
 * How much of the log a retention policy removes, decided the same way for every Persistence.
 * Trimming always removes a prefix (oldest rvs first), so what remains is gap-free: a watcher
 * resuming from any rv above the floor sees every later event.
 */
import type { RetentionPolicy } from "./persistence.ts";

/** What a store must be able to answer about its log to apply retention. */
export interface RetentionLookups {
  /** rv of the event that has `offset` newer events after it, if the log is that long. */
  rvWithNewer(offset: number): number | undefined;
  /** Lowest rv whose time is at or after `cutoffMs`, if any. */
  firstRvAtOrAfter(cutoffMs: number): number | undefined;
  /** Highest rv below `rv`, if any. */
  lastRvBelow(rv: number): number | undefined;
  /** Highest rv in the log, if any. */
  lastRv(): number | undefined;
}

/**
 * Returns the highest rv to delete (0 = nothing). Age trimming stops at the first event still
 * inside the window, even if an older-stamped event follows (clock stepped back): dropping an event
 * that is still within the window would break a watcher's promise to resume within it.
 */
export function retentionCut(policy: RetentionPolicy, nowMs: number, log: RetentionLookups): number {
  let cut = 0;
  if (policy.maxEvents > 0) {
    cut = Math.max(cut, log.rvWithNewer(policy.maxEvents) ?? 0);
  }
  if (policy.maxAgeMs > 0) {
    const firstYoung = log.firstRvAtOrAfter(nowMs - policy.maxAgeMs);
    const lastOld = firstYoung === undefined ? log.lastRv() : log.lastRvBelow(firstYoung);
    cut = Math.max(cut, lastOld ?? 0);
  }
  return cut;
}
