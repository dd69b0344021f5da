/**
 * Idle watchers wait on every turn of their loop; waiting must not leave anything behind on objects
 * that outlive the wait (the watcher's abort signal, the kind's ring). A `Promise.race` against a
 * long-lived promise did: one reaction (and one derived promise) per watcher per commit, ~70 bytes
 * each, which grew the backend by a gigabyte over ~45k commits with 300 idle watchers.
 *
 * Counted deterministically: live Promise objects after a full GC (bun:jsc heapStats), which with
 * the leak grow by exactly watchers × commits, and the ring's registered wake-ups.
 */
import { heapStats } from "bun:jsc";
import { afterEach, expect, test } from "bun:test";
import { createEngine, watchKind, type Engine, type WatchItem } from "../../src/backend/engine/mod.ts";
import { createMemoryPersistence } from "../../src/backend/store/memory-persistence.ts";
import { kindByName } from "../../src/kinds/kind-table.ts";
import { sample } from "../helpers/fixtures.ts";

const ag = kindByName("AddressGroup")!;
const svc = kindByName("Service")!;
const stops: AbortController[] = [];
afterEach(() => {
  for (const s of stops.splice(0)) s.abort();
});

function livePromises(): number {
  Bun.gc(true);
  return heapStats().objectTypeCounts.Promise ?? 0;
}

const turn = () => new Promise<void>((r) => setImmediate(r));

async function engineWith(): Promise<Engine> {
  return createEngine({ persistence: createMemoryPersistence(), retention: { maxEvents: 0, maxAgeMs: 0 }, ringCapacity: 256, trimIntervalMs: 0 });
}

/** Starts `n` watchers that consume everything; returns the per-watcher item counts. */
function watchers(engine: Engine, kind: typeof ag, n: number, o: { allowBookmarks?: boolean; bookmarkIntervalMs?: number } = {}): number[] {
  const ac = new AbortController();
  stops.push(ac);
  const counts = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    void (async () => {
      const items: AsyncGenerator<WatchItem> = watchKind(engine, kind, {
        bookmarkIntervalMs: o.bookmarkIntervalMs ?? 60_000,
        allowBookmarks: o.allowBookmarks,
        signal: ac.signal,
      });
      for await (const item of items) if (item.type !== "BOOKMARK" || o.allowBookmarks) counts[i]!++;
    })().catch(() => undefined); // a stopped watch ends here; the counts are what the test checks
  }
  return counts;
}

test("idle watchers woken by thousands of commits keep a constant number of promises and wake-ups", async () => {
  const engine = await engineWith();
  const W = 100;
  const N = 2000;
  const counts = watchers(engine, ag, W);
  let cur = await engine.create(ag, sample("AddressGroup", 1).object);
  const relabel = async (i: number) => {
    cur = await engine.update(ag, { ...cur, metadata: { ...cur.metadata, labels: { i: String(i) } } });
    await turn();
  };
  for (let i = 0; i < 50; i++) await relabel(i); // warm-up: every watcher is in its loop
  const before = livePromises();
  for (let i = 0; i < N; i++) await relabel(i);
  await turn();
  const after = livePromises();
  // every watcher saw every commit (the ADDED plus 50 + N updates)...
  expect(counts.every((c) => c === 1 + 50 + N)).toBe(true);
  // The leak added W × N = 200,000 promises; allow some slack for whatever the runtime keeps.
  expect(after - before).toBeLessThan(1000);
  // each watcher waits with exactly one registration on the ring
  expect(engine.events.ring(ag.kind).waiting).toBe(W);
});

test("bookmark-timer wake-ups on a kind that never changes leave no registration behind", async () => {
  const engine = await engineWith();
  const W = 50;
  const counts = watchers(engine, svc, W, { allowBookmarks: true, bookmarkIntervalMs: 1 });
  await Bun.sleep(50);
  const before = livePromises();
  const start = [...counts];
  // Event-driven, not a fixed sleep: on a loaded machine 1 ms timers fire late, so wait (up to a
  // generous bound) until every watcher has woken 20 more times, however long that takes.
  const deadline = Date.now() + 20_000;
  while (!counts.every((c, i) => c - start[i]! > 20) && Date.now() < deadline) await Bun.sleep(20);
  const after = livePromises();
  // the timers did fire (each wake-up yields a progress bookmark)...
  expect(counts.every((c, i) => c - start[i]! > 20)).toBe(true);
  // ...without piling registrations onto the ring or reactions onto long-lived promises
  // (the race version added two per watcher per wake-up: W × ~hundreds)
  expect(engine.events.ring(svc.kind).waiting).toBeLessThanOrEqual(W);
  expect(after - before).toBeLessThan(1000);
});

test("an aborted watcher leaves no registration on the ring", async () => {
  const engine = await engineWith();
  const ac = new AbortController();
  const done = (async () => {
    for await (const _ of watchKind(engine, ag, { bookmarkIntervalMs: 60_000, signal: ac.signal })) void _;
  })();
  await turn();
  expect(engine.events.ring(ag.kind).waiting).toBe(1);
  ac.abort();
  await done;
  expect(engine.events.ring(ag.kind).waiting).toBe(0);
});
