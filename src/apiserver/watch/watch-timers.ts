/**
 * One timer wheel per kind for its watchers' deadlines: the server-side end of each watch
 * (timeoutSeconds) and its next progress bookmark. Deadlines go into buckets of `resolutionMs`
 * (as kube-apiserver's watch cache buckets bookmark times by second), and one interval per kind
 * walks the buckets that came due — so an idle watcher costs two bucket entries, not two timers
 * with their closures. A deadline never fires early; it fires at most one resolution late.
 */

/** What a wheel entry is for. */
export type TimerPurpose = "timeout" | "bookmark";

/** A watcher as the wheel sees it: told when one of its deadlines is due. */
export interface TimedWatcher {
  onTimer(purpose: TimerPurpose): void;
}

export interface WatchTimers {
  readonly resolutionMs: number;
  /** Schedules `purpose` for `w` at `atMs` (epoch ms); returns the bucket to pass to `cancel`. */
  schedule(w: TimedWatcher, purpose: TimerPurpose, atMs: number): number;
  /** Removes an entry (bucket from `schedule`); unknown or already fired entries are ignored. */
  cancel(w: TimedWatcher, purpose: TimerPurpose, bucket: number): void;
  /** Entries waiting (for tests and metrics). */
  readonly size: number;
  /** Stops the interval; entries are dropped. */
  close(): void;
}

/** Resolution for a kind whose bookmark period is `bookmarkIntervalMs`: a quarter of it, 10 ms – 1 s. */
export function timerResolutionMs(bookmarkIntervalMs: number): number {
  return Math.min(1000, Math.max(10, Math.floor(bookmarkIntervalMs / 4)));
}

/** Creates an empty wheel; its interval runs only while entries wait. */
export function createWatchTimers(resolutionMs: number, now: () => number = Date.now): WatchTimers {
  const buckets = new Map<number, { timeout: Set<TimedWatcher>; bookmark: Set<TimedWatcher> }>();
  let size = 0;
  let interval: ReturnType<typeof setInterval> | undefined;
  let walked = Math.floor(now() / resolutionMs);

  const tick = (): void => {
    const due = Math.floor(now() / resolutionMs);
    while (walked < due) {
      // Marked walked before its entries run, so whatever they schedule lands in a later bucket.
      const entries = buckets.get(++walked);
      if (!entries) continue;
      buckets.delete(walked);
      size -= entries.timeout.size + entries.bookmark.size;
      for (const w of entries.bookmark) w.onTimer("bookmark");
      for (const w of entries.timeout) w.onTimer("timeout");
    }
    if (size === 0 && interval !== undefined) {
      clearInterval(interval);
      interval = undefined;
    }
  };

  return {
    resolutionMs,
    get size() {
      return size;
    },
    schedule(w, purpose, atMs) {
      if (interval === undefined) {
        walked = Math.max(walked, Math.floor(now() / resolutionMs));
        interval = setInterval(tick, resolutionMs);
        (interval as { unref?: () => void }).unref?.();
      }
      // The first bucket whose start is at or after the deadline, and never one already walked.
      const bucket = Math.max(walked + 1, Math.ceil(atMs / resolutionMs));
      let entries = buckets.get(bucket);
      if (!entries) buckets.set(bucket, (entries = { timeout: new Set(), bookmark: new Set() }));
      const set = entries[purpose];
      if (!set.has(w)) {
        set.add(w);
        size++;
      }
      return bucket;
    },
    cancel(w, purpose, bucket) {
      const entries = buckets.get(bucket);
      if (entries?.[purpose].delete(w)) size--;
    },
    close() {
      if (interval !== undefined) clearInterval(interval);
      interval = undefined;
      buckets.clear();
      size = 0;
    },
  };
}
