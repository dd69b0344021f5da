/** allow_bookmarks: periodic BOOKMARK events carrying the newest committed resourceVersion. */
import { describe, expect, test } from "bun:test";
import { createObj } from "../helpers/rpc-helpers.ts";
import { sample } from "../helpers/fixtures.ts";
import type { SeenEvent } from "../helpers/watch-reader.ts";
import { backendPerTest, kind, seedFixtures, sleep, watchFrom } from "./rpc-kit.ts";

const start = backendPerTest();
const Service = kind("Service");
const bookmarks = (es: SeenEvent[]) => es.filter((e) => e.type === "BOOKMARK" && !e.initialEventsEnd);

describe("progress bookmarks", () => {
  test("arrive periodically and carry the newest committed version, also after writes of other kinds", async () => {
    const { b, client } = await start({ bookmarkIntervalMs: 100 });
    await seedFixtures(client);
    const rv0 = b.engine.currentRv;
    const w = watchFrom(client, Service, rv0, { allowBookmarks: true }, true);
    await w.until((es) => bookmarks(es).length >= 3, 3000);
    expect(bookmarks(w.events).every((e) => e.rv === rv0)).toBe(true);

    // a write of another kind moves the counter: the next bookmarks report it
    const ag = await createObj(client, sample("AddressGroup", 1).object);
    // the AddressGroup's commit also creates its port mapping (the next version)
    const agRv = b.engine.currentRv;
    expect(agRv).toBe(Number(ag.metadata.resourceVersion) + 1);
    await w.until((es) => bookmarks(es).some((e) => e.rv === agRv), 3000);
    expect(w.events.some((e) => e.type !== "BOOKMARK")).toBe(false);

    // a write of the watched kind arrives as an event, and later bookmarks are at least its version
    const svc = await createObj(client, sample("Service", 1).object);
    const svcRv = Number(svc.metadata.resourceVersion);
    await w.until((es) => bookmarks(es).some((e) => e.rv === svcRv), 8000);
    const added = w.events.findIndex((e) => e.type === "ADDED");
    expect(w.events[added]!.rv).toBe(svcRv);
    expect(bookmarks(w.events.slice(added)).every((e) => e.rv === svcRv)).toBe(true);

    // versions never go backwards, and bookmarks keep coming roughly every interval
    const rvs = w.events.map((e) => e.rv);
    expect([...rvs].sort((x, y) => x - y)).toEqual(rvs);
    const before = bookmarks(w.events).length;
    // event-driven: two more periodic bookmarks, however late a loaded machine fires the timer
    await w.until((es) => bookmarks(es).length - before >= 2, 8000);
    for (const e of bookmarks(w.events)) expect(e.rv).toBeLessThanOrEqual(b.engine.currentRv);
    w.stop();
  });

  test("a snapshot watch with bookmarks sends the initial-events BOOKMARK first, then periodic ones at the newest version", async () => {
    const { b, client } = await start({ bookmarkIntervalMs: 100 });
    await seedFixtures(client);
    const w = watchFrom(client, kind("ServiceAlias"), "0", { allowBookmarks: true }, true);
    await w.until((es) => bookmarks(es).length >= 2, 3000);
    expect(w.events[0]!.type).toBe("ADDED");
    expect(w.events[1]!.initialEventsEnd).toBe(true);
    expect(w.events[1]!.rv).toBe(b.engine.currentRv);
    expect(bookmarks(w.events).every((e) => e.rv === b.engine.currentRv)).toBe(true);
    w.stop();
  });

  test("are not sent unless allowed, also to a watcher that resumes behind writes of other kinds", async () => {
    const { b, client } = await start({ bookmarkIntervalMs: 50 });
    await seedFixtures(client);
    const rv0 = b.engine.currentRv;
    // the counter moves past the last Service event: a caught-up watcher could be told so, but
    // only when it asked for bookmarks
    await createObj(client, sample("AddressGroup", 1).object);
    const svc = await createObj(client, sample("Service", 1).object);
    await createObj(client, sample("AddressGroup", 2).object);
    const w = watchFrom(client, Service, rv0, {}, true);
    await w.until((es) => es.some((e) => e.name === svc.metadata.name), 3000);
    await sleep(150); // bookmark intervals pass: a periodic bookmark would be due at the next wake-up
    await createObj(client, sample("Service", 2).object);
    // a later event of the kind: anything sent before it has arrived by then
    const last = await createObj(client, sample("Service", 3).object);
    const seen = await w.until((es) => es.some((e) => e.name === last.metadata.name), 3000);
    expect(seen.map((e) => e.type)).toEqual(["ADDED", "ADDED", "ADDED"]);
    w.stop();
  });

  test("are not sent unless allowed", async () => {
    const { b, client } = await start({ bookmarkIntervalMs: 50 });
    await seedFixtures(client);
    const w = watchFrom(client, Service, b.engine.currentRv, {}, true);
    await sleep(400);
    expect(w.events).toEqual([]);
    w.stop();
  });
});
