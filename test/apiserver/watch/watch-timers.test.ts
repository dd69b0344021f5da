/**
 * The per-kind timer wheel (src/apiserver/watch/watch-timers.ts) that replaces one setTimeout and
 * one setInterval per watcher: deadlines never fire early, fire within about one resolution, can
 * be cancelled, and an entry re-armed from its own callback (a periodic bookmark) fires again.
 */
import { expect, test } from "bun:test";
import { createWatchTimers, FAR_BUCKETS, timerResolutionMs, type TimedWatcher, type TimerPurpose } from "../../../src/apiserver/watch/watch-timers.ts";

const RES = 20;

function recorder() {
  const fired: { purpose: TimerPurpose; at: number }[] = [];
  const w: TimedWatcher = { onTimer: (purpose) => void fired.push({ purpose, at: Date.now() }) };
  return { w, fired };
}

async function until(pred: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred() && Date.now() < end) await Bun.sleep(5);
}

test("a deadline never fires before it is due", async () => {
  const timers = createWatchTimers(RES);
  const runs = Array.from({ length: 20 }, (_, i) => ({ ...recorder(), due: Date.now() + 15 + i * 7 }));
  for (const r of runs) timers.schedule(r.w, "timeout", r.due);
  await until(() => runs.every((r) => r.fired.length === 1));
  for (const r of runs) {
    expect(r.fired.length).toBe(1);
    expect(r.fired[0]!.at).toBeGreaterThanOrEqual(r.due);
  }
  expect(timers.size).toBe(0);
  timers.close();
});

test("a cancelled entry does not fire; the others of its bucket do", async () => {
  const timers = createWatchTimers(RES);
  const a = recorder();
  const b = recorder();
  const due = Date.now() + 30;
  const bucket = timers.schedule(a.w, "timeout", due);
  timers.schedule(b.w, "timeout", due);
  timers.cancel(a.w, "timeout", bucket);
  expect(timers.size).toBe(1);
  await until(() => b.fired.length === 1);
  await Bun.sleep(3 * RES);
  expect(a.fired).toEqual([]);
  expect(b.fired.map((f) => f.purpose)).toEqual(["timeout"]);
  timers.close();
});

test("an entry re-armed from its own callback fires again (periodic bookmarks)", async () => {
  const timers = createWatchTimers(RES);
  let count = 0;
  const w: TimedWatcher = {
    onTimer() {
      if (++count < 4) timers.schedule(w, "bookmark", Date.now() + 1);
    },
  };
  timers.schedule(w, "bookmark", Date.now() + 1);
  await until(() => count >= 4);
  expect(count).toBe(4);
  timers.close();
});

test("the resolution follows the bookmark period: a quarter of it, between 10 ms and 1 s", () => {
  expect(timerResolutionMs(60_000)).toBe(1000);
  expect(timerResolutionMs(200)).toBe(50);
  expect(timerResolutionMs(1)).toBe(10);
});

test("an entry scheduled from a callback for a time already past fires at the next tick, not never", async () => {
  const timers = createWatchTimers(RES);
  const late = recorder();
  const first: TimedWatcher = { onTimer: () => void timers.schedule(late.w, "timeout", 0) };
  timers.schedule(first, "timeout", Date.now() + 1);
  await until(() => late.fired.length === 1, 1000);
  expect(late.fired.length).toBe(1);
  expect(timers.size).toBe(0);
  timers.close();
});

test("far deadlines share coarse buckets and fire at most 1/FAR_BUCKETS of their distance late, never early", async () => {
  const res = 2;
  const timers = createWatchTimers(res);
  const start = Date.now();
  // 300 watchers with deadlines spread over 1–2 s: 250–500 buckets away at a 2 ms resolution.
  const runs = Array.from({ length: 300 }, (_, i) => ({ ...recorder(), due: start + 1000 + Math.floor((i * 1000) / 300) }));
  for (const r of runs) timers.schedule(r.w, "timeout", r.due);
  expect(timers.buckets).toBeLessThanOrEqual(150); // exact 2 ms buckets would be 300
  await until(() => runs.every((r) => r.fired.length === 1), 8000);
  for (const r of runs) {
    expect(r.fired.length).toBe(1);
    expect(r.fired[0]!.at).toBeGreaterThanOrEqual(r.due);
    // the rounding's bound, plus one resolution and room for a loaded event loop
    expect(r.fired[0]!.at - r.due).toBeLessThanOrEqual((r.due - start) / FAR_BUCKETS + res + 250);
  }
  timers.close();
});

test("near deadlines keep their own buckets", () => {
  const timers = createWatchTimers(RES);
  const start = Date.now();
  for (let i = 0; i < 50; i++) timers.schedule(recorder().w, "timeout", start + (i + 1) * RES);
  expect(timers.buckets).toBe(50);
  timers.close();
});
