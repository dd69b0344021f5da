/** wakeUp: the first wake-up wins and every registration it made is gone afterwards. */
import { expect, test } from "bun:test";
import { wakeUp, type WakeSource } from "../../src/watch-log/wake-up.ts";

/** A real AbortSignal whose abort listeners are counted. */
function countedSignal(): { ac: AbortController; live: () => number } {
  const ac = new AbortController();
  const listeners = new Set<unknown>();
  const add = ac.signal.addEventListener.bind(ac.signal);
  const remove = ac.signal.removeEventListener.bind(ac.signal);
  ac.signal.addEventListener = ((type: string, fn: EventListener, o?: AddEventListenerOptions) => {
    listeners.add(fn);
    add(type, fn, o);
  }) as typeof ac.signal.addEventListener;
  ac.signal.removeEventListener = ((type: string, fn: EventListener) => {
    listeners.delete(fn);
    remove(type, fn);
  }) as typeof ac.signal.removeEventListener;
  return { ac, live: () => listeners.size };
}

function manualSource(): { source: WakeSource; fire(): void; registered: () => number } {
  const wakes = new Set<() => void>();
  return {
    source: (wake) => {
      wakes.add(wake);
      return () => void wakes.delete(wake);
    },
    fire: () => [...wakes].forEach((w) => w()),
    registered: () => wakes.size,
  };
}

test("a thousand waits woken by a source leave no abort listener and no registration behind", async () => {
  const { ac, live } = countedSignal();
  const s = manualSource();
  for (let i = 0; i < 1000; i++) {
    const p = wakeUp({ sources: [s.source], signal: ac.signal, timeoutMs: 60_000 });
    expect(live()).toBe(1);
    s.fire();
    await p;
  }
  expect(live()).toBe(0);
  expect(s.registered()).toBe(0);
});

test("the timeout wakes and unregisters the sources", async () => {
  const s = manualSource();
  await wakeUp({ sources: [s.source], timeoutMs: 5 });
  expect(s.registered()).toBe(0);
});

test("an abort wakes and unregisters the sources", async () => {
  const s = manualSource();
  const ac = new AbortController();
  const p = wakeUp({ sources: [s.source], signal: ac.signal });
  ac.abort();
  await p;
  expect(s.registered()).toBe(0);
});

test("a source that fires while registering ends the wait without a registration left", async () => {
  const { ac, live } = countedSignal();
  const later = manualSource();
  const eager: WakeSource = (wake) => {
    wake();
    return () => undefined;
  };
  await wakeUp({ sources: [eager, later.source], signal: ac.signal, timeoutMs: 60_000 });
  expect(later.registered()).toBe(0);
  expect(live()).toBe(0);
});

test("an already aborted signal resolves at once", async () => {
  const ac = new AbortController();
  ac.abort();
  const s = manualSource();
  await wakeUp({ sources: [s.source], signal: ac.signal });
  expect(s.registered()).toBe(0);
});
