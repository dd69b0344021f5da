/**
 * When a kind's watch flush runs. A flush writes every pending event to every watcher (one write
 * per watcher), so its cost grows with the watchers, not with the events it carries; coalescing
 * several events into one flush is what makes a busy server cheaper per delivery.
 *
 * The window opens at a flush: after a quiet spell a change is flushed on the next event-loop turn
 * (no added delay), and a change arriving within the window waits for its end and joins the others.
 * The window is the larger of `delayMs` (watch.flush_delay) and `busyFactor` times the typical
 * flush duration (watch.flush_busy_factor), so the share of time spent flushing stays at most about
 * 1 / (1 + busyFactor): with few watchers a flush is short and nothing waits; with thousands it
 * takes milliseconds and the events of that time go out together, one write per watcher, instead of
 * the flushes falling behind one event at a time. No window is longer than `maxMs`.
 *
 * The typical duration is the median of the last three flushes, not the last one: a flush is timed
 * on the wall clock, so one that the kernel descheduled or a garbage collection paused looks many
 * times longer than it cost, and a window scaled to it would hold back the next change for nothing
 * (measured at 100 watchers: the changes arriving after such a flush made the p99 from arrival to
 * flush 4 ms instead of 0.2 ms). Flushes that are long because there are many watchers are long
 * every time, and the median follows them from the second one on.
 *
 * A flush that carried at least `batchEvents` events (a burst: a Sync, a resume) already shares each
 * write among many of them, so waiting longer would save little and only idle the server while
 * changes pile up: the next window is the shortest one.
 */

export interface FlushSchedulerOptions {
  /** The shortest window (watch.flush_delay). */
  delayMs: number;
  /** The window is at least this many times the last flush's duration (0: off). */
  busyFactor: number;
  /** The longest window. */
  maxMs: number;
  /** The flush itself; returns how many events it carried (undefined: one). */
  run(): number | void;
  /** A flush carrying at least this many events opens only the shortest window (default: never). */
  batchEvents?: number;
  /** Told each flush's duration in ms, as timed for the window (metrics). */
  onFlushed?(ms: number): void;
  /** Monotonic milliseconds (performance.now). */
  now(): number;
  /** Runs `fn` after `ms`; returns a cancel function. */
  after(fn: () => void, ms: number): () => void;
  /** Runs `fn` on the next event-loop turn, after this turn's I/O callbacks. */
  nextTurn(fn: () => void): void;
}

export interface FlushScheduler {
  /** Asks for a flush (at most one is pending at a time). */
  request(): void;
  /** Drops a pending flush; later requests are ignored. */
  close(): void;
  /** The window the last flush opened, in ms (for tests and metrics). */
  readonly windowMs: number;
}

function median3(a: number, b: number, c: number): number {
  return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
}

/** Creates a scheduler; see the file comment for the window it keeps. */
export function createFlushScheduler(o: FlushSchedulerOptions): FlushScheduler {
  let pending = false;
  let closed = false;
  let cancelTimer: (() => void) | undefined;
  /** Start of the last flush, and the window it opened. */
  let lastStart = -Infinity;
  let windowMs = o.delayMs;
  /** Durations of the last three flushes (a ring; 0 before there were three). */
  const recent = [0, 0, 0];
  let slot = 0;

  const fire = () => {
    pending = false;
    cancelTimer = undefined;
    if (closed) return;
    const start = o.now();
    let carried: number | void = undefined;
    try {
      carried = o.run();
    } finally {
      lastStart = start;
      const took = o.now() - start;
      recent[slot] = took;
      slot = (slot + 1) % recent.length;
      o.onFlushed?.(took);
      const batched = (carried ?? 1) >= (o.batchEvents ?? Infinity);
      windowMs = batched ? o.delayMs : Math.min(o.maxMs, Math.max(o.delayMs, o.busyFactor * median3(recent[0]!, recent[1]!, recent[2]!)));
    }
  };

  return {
    get windowMs() {
      return windowMs;
    },
    request() {
      if (pending || closed) return;
      pending = true;
      const wait = lastStart + windowMs - o.now();
      // nextTurn runs after the I/O callback that published, so the rest of one backend message's
      // changes still join this flush.
      if (wait > 0) cancelTimer = o.after(fire, wait);
      else o.nextTurn(fire);
    },
    close() {
      closed = true;
      cancelTimer?.();
      cancelTimer = undefined;
    },
  };
}
