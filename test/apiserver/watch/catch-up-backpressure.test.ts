/**
 * A catch-up (a watch from a resourceVersion older than the cache holds) honours its client's
 * backpressure like a live watch: it reads the backend's stream only when the client's stream has
 * room. A client that does not read holds no history in the API server, and one that stalls while
 * the cache moves on by more than its ring ends with a 410 Expired ERROR, as a lapped live watcher
 * does. Other watchers of the kind are unaffected.
 *
 * Buffering is counted exactly with the kind's `eventsDelivered` stat (events encoded for client
 * streams, written or buffered): before the fix each non-reading client took the whole history.
 */
import { expect, test } from "bun:test";
import { createBackendClient } from "../../../src/apiserver/backend-client.ts";
import { MAX_EVENTS_PER_CHUNK } from "../../../src/apiserver/watch/watcher.ts";
import { kindByName } from "../../../src/kinds/kind-table.ts";
import { clientFor } from "../../helpers/backend-harness.ts";
import { listKind, relabelTimes } from "../../helpers/rpc-helpers.ts";
import { about, backend, eventually, hub, makeSample, openWatch, params, rvOf, sleepMs, useCleanup, type HubWatch } from "./watch-kit.ts";

useCleanup();

const kind = kindByName("AddressGroup")!;
const CAPACITY = 16;
const HISTORY = 1500;
const STALLED = 20;

/** Waits until `value` has not changed for 300 ms (at most 10 s). */
async function settled(value: () => number): Promise<void> {
  const end = Date.now() + 10_000;
  let last = value();
  let since = Date.now();
  while (Date.now() < end && Date.now() - since < 300) {
    await sleepMs(25);
    if (value() !== last) [last, since] = [value(), Date.now()];
  }
}

/** The data events' resourceVersions (no bookmarks, no ERROR). */
const dataRvs = (w: HubWatch) => w.events.filter((e) => e.type !== "ERROR" && e.type !== "BOOKMARK").map(rvOf);

async function setup() {
  const b = await backend({ bookmarkIntervalMs: 200 });
  const client = clientFor(b.url);
  const h = hub(createBackendClient(b.url), "streaming", { cacheCapacity: CAPACITY });
  const warm = openWatch(h, params(kind, { resourceVersion: "0" })); // keeps the kind's source running
  const obj = await makeSample(client, kind, 1);
  await warm.until((es) => about(es, obj.metadata.name).length === 1, 8000, "the cache is live");
  const listed = Number((await listKind(client, kind)).resourceVersion);
  const history = await relabelTimes(client, obj, HISTORY, "h");
  await warm.until((es) => dataRvs(warm).at(-1) === history.rvs.at(-1), 15_000, "the history reached the cache");
  return { b, client, h, warm, listed, history };
}

test("non-reading clients catching up from an old resourceVersion hold one bounded buffer each, end with 410 once the cache laps them, and the others get every event", async () => {
  const { client, h, warm, listed, history } = await setup();
  const stats = () => h.stats()[kind.kind]!;
  const deliveredBefore = stats().eventsDelivered;
  const stalled = Array.from({ length: STALLED }, () => openWatch(h, params(kind, { resourceVersion: String(listed) }), { paused: true }));
  await eventually(() => stats().catchUps === STALLED, 8000, "every stalled client started its catch-up");
  await settled(() => stats().eventsDelivered); // until nothing more is being written or buffered
  // Without backpressure each took all HISTORY events (20 × 1,500 = 30,000); with it each holds at
  // most one bounded buffer (MAX_EVENTS_PER_CHUNK events, MAX_CATCH_UP_BUFFER_BYTES).
  const buffered = stats().eventsDelivered - deliveredBefore;
  expect(buffered).toBeLessThanOrEqual(STALLED * MAX_EVENTS_PER_CHUNK);
  expect(buffered).toBeLessThan(STALLED * HISTORY);

  // a new watcher and the warm one get every later event, in order, exactly once
  const live = openWatch(h, params(kind, { resourceVersion: String(history.rvs.at(-1)) }));
  const later = await relabelTimes(client, history.last, 3 * CAPACITY, "l");
  await live.until(() => dataRvs(live).length >= later.rvs.length, 8000, "the live watcher's events");
  await warm.until(() => dataRvs(warm).at(-1) === later.rvs.at(-1), 8000, "the warm watcher's events");
  expect(dataRvs(live)).toEqual(later.rvs);
  expect(dataRvs(warm).slice(-later.rvs.length)).toEqual(later.rvs);
  expect(new Set(dataRvs(warm)).size).toBe(dataRvs(warm).length);

  // The cache moved on by more than its ring while they stalled: each ends with one 410, after an
  // exact prefix of the history (nothing skipped, nothing repeated).
  for (const s of stalled) {
    s.resume();
    const events = await s.finished(8000);
    const errors = events.filter((e) => e.type === "ERROR");
    expect(errors.length).toBe(1);
    expect(events.at(-1)!.type).toBe("ERROR");
    expect(errors[0]!.object).toMatchObject({ kind: "Status", reason: "Expired", code: 410 });
    const got = dataRvs(s);
    expect(got).toEqual(history.rvs.slice(0, got.length));
  }
  expect(stats().activeWatchers).toBe(2);
}, 40_000);

test("a catch-up client that pauses and resumes before the cache moves on is caught up exactly, then follows live", async () => {
  const { client, h, listed, history } = await setup();
  const w = openWatch(h, params(kind, { resourceVersion: String(listed) }), { paused: true });
  await eventually(() => h.stats()[kind.kind]!.catchUps === 1, 8000, "the catch-up started");
  await sleepMs(200);
  w.resume();
  await w.until(() => dataRvs(w).length >= history.rvs.length, 15_000, "the whole history");
  const more = await relabelTimes(client, history.last, 5, "m");
  await w.until(() => dataRvs(w).length >= history.rvs.length + more.rvs.length, 8000, "live events after the catch-up");
  expect(dataRvs(w)).toEqual([...history.rvs, ...more.rvs]);
  expect(w.events.some((e) => e.type === "ERROR")).toBe(false);
}, 40_000);
