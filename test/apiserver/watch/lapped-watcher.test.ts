/**
 * The ring's edge, exactly: a live client that stops reading keeps its place while the cache still
 * holds the next event it has not read, and ends with one 410 Expired ERROR as soon as that event is
 * overwritten — never a silent jump to the oldest event held (a gap the client cannot see), never a
 * false 410 for a client the ring can still serve. The watcher checks this on every flush, whether
 * or not the client has room (src/apiserver/watch/watcher.ts `pump`).
 */
import { expect, test } from "bun:test";
import { kindByName } from "../../../src/kinds/kind-table.ts";
import { relabelTimes } from "../../helpers/rpc-helpers.ts";
import { liveHubWithSample, openWatch, params, rv, rvOf, useCleanup, type WireEvent } from "./watch-kit.ts";

useCleanup();

const kind = kindByName("AddressGroup")!;
const CAPACITY = 8;

/** A streaming hub with a small cache, a warm watcher keeping it live, and one object to change. */
async function setup() {
  const { client, h, warm, obj } = await liveHubWithSample(kind, CAPACITY);
  // A client that does not read, positioned at the newest event: it has room for nothing.
  const paused = openWatch(h, params(kind, { resourceVersion: String(rv(obj)) }), { paused: true });
  let cur = obj;
  let round = 0;
  /** Writes `n` events and waits until the cache has them (the warm watcher saw the last). */
  const written = async (n: number) => {
    const made = await relabelTimes(client, cur, n, `r${round++}-`);
    cur = made.last;
    await warm.until((es) => es.some((e) => rvOf(e) === made.rvs.at(-1)), 8000, "the writes reached the cache");
    return made.rvs;
  };
  return { h, paused, written };
}

const data = (es: WireEvent[]) => es.filter((e) => e.type !== "ERROR" && e.type !== "BOOKMARK");

test("a client that stopped reading exactly a ring's worth of events ago still gets every one of them, then follows live", async () => {
  const { paused, written } = await setup();
  const held = await written(CAPACITY);
  paused.resume();
  await paused.until((es) => data(es).length === CAPACITY, 8000, "every event the ring still held");
  expect(data(paused.events).map(rvOf)).toEqual(held);
  const later = await written(1);
  await paused.until((es) => data(es).length === CAPACITY + 1, 8000, "a later event");
  expect(data(paused.events).map(rvOf)).toEqual([...held, ...later]);
  expect(paused.events.some((e) => e.type === "ERROR")).toBe(false);
  expect(paused.done).toBe(false);
});

test("a client lapped by exactly one event ends with one 410 Expired ERROR and nothing skipped", async () => {
  const { h, paused, written } = await setup();
  await written(CAPACITY + 1);
  paused.resume();
  const events = await paused.finished(8000);
  // it had room for nothing before the ring overwrote its next event: no data, one ERROR
  expect(events.map((e) => e.type)).toEqual(["ERROR"]);
  expect(events[0]!.object).toMatchObject({ kind: "Status", status: "Failure", reason: "Expired", code: 410 });
  expect(h.stats()[kind.kind]!.lappedCursors).toBe(1);
});
