/**
 * The flush window (src/apiserver/watch/flush-scheduler.ts) on a fake clock: a change after a
 * quiet spell flushes on the next turn, one inside the window waits for its end, and the window
 * widens to the busy factor times the typical (median of the last three) flush's duration
 * (bounded), so a server whose flushes take long coalesces instead of falling behind one change at
 * a time, while one flush slowed by a pause does not delay the next change.
 */
import { describe, expect, test } from "bun:test";
import { createFlushScheduler, type FlushSchedulerOptions } from "../../../src/apiserver/watch/flush-scheduler.ts";

/** A scheduler on a fake clock; `flushMs` is how long each flush takes (or a function giving it). */
function harness(o: Partial<FlushSchedulerOptions> & { flushMs?: number | (() => number) } = {}) {
  let t = 0;
  let flushes = 0;
  const turns: (() => void)[] = [];
  const timers: { at: number; fn: () => void; cancelled: boolean }[] = [];
  const s = createFlushScheduler({
    delayMs: 2,
    busyFactor: 2,
    maxMs: 1000,
    run() {
      flushes++;
      t += typeof o.flushMs === "function" ? o.flushMs() : (o.flushMs ?? 0);
    },
    now: () => t,
    after(fn, ms) {
      const timer = { at: t + ms, fn, cancelled: false };
      timers.push(timer);
      return () => void (timer.cancelled = true);
    },
    nextTurn: (fn) => void turns.push(fn),
    ...o,
  });
  return {
    s,
    get flushes() {
      return flushes;
    },
    turns,
    timers,
    /** Moves the clock to `at`. */
    at(at: number) {
      t = at;
    },
    /** Runs what is due: queued turns, then timers whose time has come. */
    runDue() {
      for (const fn of turns.splice(0)) fn();
      for (const timer of timers.splice(0)) {
        if (timer.cancelled) continue;
        if (timer.at <= t) timer.fn();
        else timers.push(timer);
      }
    },
  };
}

describe("flush window", () => {
  test("a change after a quiet spell flushes on the next turn, with no timer", () => {
    const h = harness();
    h.s.request();
    expect(h.turns.length).toBe(1);
    expect(h.timers.length).toBe(0);
    h.runDue();
    expect(h.flushes).toBe(1);
  });

  test("changes inside the window of the last flush wait for its end, as one flush", () => {
    const h = harness();
    h.s.request();
    h.runDue(); // flush at t=0 opens a 2 ms window
    h.at(1);
    h.s.request();
    h.s.request();
    expect(h.turns.length).toBe(0);
    expect(h.timers.map((x) => x.at)).toEqual([2]);
    h.runDue();
    expect(h.flushes).toBe(1);
    h.at(2);
    h.runDue();
    expect(h.flushes).toBe(2);
  });

  test("the window widens to the busy factor times the typical flush's duration", () => {
    const h = harness({ flushMs: 10 });
    h.s.request();
    h.runDue(); // t=0 → 10: one long flush alone does not widen the window yet
    expect(h.s.windowMs).toBe(2);
    h.s.request();
    h.runDue(); // t=10 → 20: two of the last three took 10 ms: the window is 2 × 10 ms from its start
    expect(h.s.windowMs).toBe(20);
    h.at(25);
    h.s.request();
    expect(h.timers.map((x) => x.at)).toEqual([30]);
  });

  test("one flush slowed by a pause does not hold back the next change", () => {
    let ms = 1;
    const h = harness({ busyFactor: 3, flushMs: () => ms });
    // 100 watchers, a change every 10 ms: flushes take 1 ms, then one is descheduled for 6 ms.
    for (const [at, took] of [[0, 1], [10, 1], [20, 6], [30, 1]] as const) {
      h.at(at);
      ms = took;
      h.s.request();
      expect(h.turns.length).toBe(1); // goes out on the next turn: no window scaled to the slow flush (3 × 6 = 18 ms)
      h.runDue();
    }
    expect(h.flushes).toBe(4);
    expect(h.timers).toEqual([]);
    expect(h.s.windowMs).toBe(3);
  });

  test("busy factor 0 keeps the fixed window, and no window exceeds the maximum", () => {
    const fixed = harness({ flushMs: 10, busyFactor: 0 });
    fixed.s.request();
    fixed.runDue();
    expect(fixed.s.windowMs).toBe(2);
    fixed.s.request(); // t=10: past the 2 ms window
    expect(fixed.turns.length).toBe(1);

    const capped = harness({ flushMs: 800, busyFactor: 5, maxMs: 1000 });
    for (let i = 0; i < 2; i++) {
      capped.s.request();
      capped.at(10_000 * (i + 1)); // past any window: each request flushes on the next turn
      capped.runDue();
    }
    expect(capped.s.windowMs).toBe(1000);
  });

  test("a flush that carried a batch of events opens only the shortest window", () => {
    let carried = 16;
    let clock = 0;
    const timers: number[] = [];
    const s = createFlushScheduler({
      delayMs: 2,
      busyFactor: 3,
      maxMs: 1000,
      batchEvents: 16,
      run() {
        clock += 10;
        return carried;
      },
      now: () => clock,
      after(_fn, ms) {
        timers.push(clock + ms);
        return () => undefined;
      },
      nextTurn: (fn) => fn(),
    });
    carried = 1;
    s.request(); // a trickle of 10 ms flushes: from the second on, the window is 3 × 10 ms
    clock = 20;
    s.request();
    expect(s.windowMs).toBe(30);
    carried = 16;
    clock = 60;
    s.request(); // a burst: 16 events in a 10 ms flush
    expect(s.windowMs).toBe(2);
    carried = 15;
    clock = 72;
    s.request(); // past the 2 ms window: flushes at once; a trickle widens it to 3 × 10 ms again
    expect(s.windowMs).toBe(30);
    clock = 85;
    s.request();
    expect(timers).toEqual([102]);
  });

  test("close drops a pending flush and ignores later requests", () => {
    const h = harness();
    h.s.request();
    h.runDue();
    h.at(1);
    h.s.request();
    h.s.close();
    h.s.request();
    h.at(5);
    h.runDue();
    expect(h.flushes).toBe(1);
  });
});
