/**
 * One timer wheel per kind for its watchers' deadlines: the server-side end of each watch
 * (timeoutSeconds) and its next progress bookmark. Deadlines go into buckets of `resolutionMs`
 * (as kube-apiserver's watch cache buckets bookmark times by second), and one interval per kind
 * walks the buckets that came due — so an idle watcher costs two bucket entries, not two timers
 * with their closures. A deadline never fires early; it fires at most one resolution late, or —
 * when it is more than FAR_BUCKETS resolutions away, as kube-apiserver's 30–60 minute watch
 * timeouts are — at most 1/FAR_BUCKETS of its distance late: far deadlines share coarser buckets,
 * so thousands of watches with random timeouts fill a few dozen buckets, not one per second.
 * A bucket's entries are indexed lists (indexed-list.ts): each costs an array slot, not a Set entry.
 */
import { createIndexedList, type IndexedList } from "./indexed-list.ts";

/** What a wheel entry is for. */
export type TimerPurpose = "timeout" | "bookmark";

/**
 * A watcher as the wheel sees it: told when one of its deadlines is due. The wheel keeps the
 * entry's place in its bucket on the watcher (indexed-list.ts): one entry per purpose at a time.
 */
export interface TimedWatcher {
  onTimer(purpose: TimerPurpose): void;
  timeoutIndex?: number;
  bookmarkIndex?: number;
}

export interface WatchTimers {
  readonly resolutionMs: number;
  /**
   * Schedules `purpose` for `w` at `atMs` (epoch ms); returns the bucket to pass to `cancel`. A
   * watcher has one entry per purpose: cancel it, or let it fire, before scheduling it again.
   */
  schedule(w: TimedWatcher, purpose: TimerPurpose, atMs: number): number;
  /** Removes an entry (bucket from `schedule`); unknown or already fired entries are ignored. */
  cancel(w: TimedWatcher, purpose: TimerPurpose, bucket: number): void;
  /** Entries waiting (for tests and metrics). */
  readonly size: number;
  /** Buckets holding entries (for tests). */
  readonly buckets: number;
  /** Stops the interval; entries are dropped. */
  close(): void;
}

/** Resolution for a kind whose bookmark period is `bookmarkIntervalMs`: a quarter of it, 10 ms – 1 s. */
export function timerResolutionMs(bookmarkIntervalMs: number): number {
  return Math.min(1000, Math.max(10, Math.floor(bookmarkIntervalMs / 4)));
}

/** A deadline this many buckets away or more may be rounded up by at most 1/FAR_BUCKETS of that distance. */
export const FAR_BUCKETS = 64;

/** The bucket of a deadline `bucket` that is `distance` buckets away: rounded up to a power-of-two step ≤ distance/FAR_BUCKETS. */
function coarsen(bucket: number, distance: number): number {
  if (distance < 2 * FAR_BUCKETS) return bucket;
  const step = 2 ** Math.floor(Math.log2(distance / FAR_BUCKETS));
  return Math.ceil(bucket / step) * step;
}

/** Creates an empty wheel; its interval runs only while entries wait. */
export function createWatchTimers(resolutionMs: number, now: () => number = Date.now): WatchTimers {
  const buckets = new Map<number, Record<TimerPurpose, IndexedList<TimedWatcher>>>();
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
      // Drained first: a callback may schedule its watcher again (a periodic bookmark).
      const bookmarks = entries.bookmark.drain();
      const timeouts = entries.timeout.drain();
      for (const w of bookmarks) w.onTimer("bookmark");
      for (const w of timeouts) w.onTimer("timeout");
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
    get buckets() {
      return buckets.size;
    },
    schedule(w, purpose, atMs) {
      if (interval === undefined) {
        walked = Math.max(walked, Math.floor(now() / resolutionMs));
        interval = setInterval(tick, resolutionMs);
        (interval as { unref?: () => void }).unref?.();
      }
      // The first bucket whose start is at or after the deadline, and never one already walked.
      const exact = Math.max(walked + 1, Math.ceil(atMs / resolutionMs));
      const bucket = coarsen(exact, exact - walked);
      let entries = buckets.get(bucket);
      if (!entries) buckets.set(bucket, (entries = { timeout: createIndexedList("timeoutIndex"), bookmark: createIndexedList("bookmarkIndex") }));
      if (entries[purpose].add(w)) size++;
      return bucket;
    },
    cancel(w, purpose, bucket) {
      const entries = buckets.get(bucket);
      if (entries?.[purpose].delete(w)) size--;
    },
    close() {
      if (interval !== undefined) clearInterval(interval);
      interval = undefined;
      for (const entries of buckets.values()) {
        entries.timeout.drain();
        entries.bookmark.drain();
      }
      buckets.clear();
      size = 0;
    },
  };
}
