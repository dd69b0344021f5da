import { describe, expect, test } from "bun:test";
import { createEventStore } from "../../src/backend/events/event-store.ts";
import { createMemoryPersistence } from "../../src/backend/store/memory-persistence.ts";
import type { StoredEvent } from "../../src/backend/store/persistence.ts";

const ev = (rv: number, kind = "Service"): StoredEvent => ({
  rv,
  kind,
  type: "ADDED",
  namespace: "ns",
  name: `o${rv}`,
  object: { apiVersion: "v", kind, metadata: { name: `o${rv}`, namespace: "ns", resourceVersion: String(rv) } },
  time: 0,
});

/** A store whose log and ring receive the same committed events. */
async function setup(ringCapacity: number) {
  const persistence = createMemoryPersistence();
  await persistence.load();
  let floor = 0;
  const store = createEventStore({ kinds: ["Service", "AddressGroup"], ringCapacity, startRv: 0, persistence, floorRv: () => floor, readBatch: 4 });
  let rv = 0;
  const commit = async (...kinds: string[]) => {
    const events = kinds.map((k) => ev(++rv, k));
    await persistence.commit({ rv, events });
    store.publish(events);
  };
  return { store, persistence, commit, setFloor: (f: number) => (floor = f) };
}

async function drain(store: ReturnType<typeof createEventStore>, cursor: ReturnType<ReturnType<typeof createEventStore>["cursor"]>) {
  const out: number[] = [];
  for (;;) {
    const r = await store.read(cursor);
    if (r.kind === "expired") throw new Error("expired");
    if (r.events.length === 0 && cursor.nextSeq === store.ring(cursor.kind).nextSeq) return out;
    out.push(...r.events.map((e) => e.rv));
  }
}

describe("event store cursors", () => {
  test("delivers exactly the events of its kind after the start position", async () => {
    const { store, commit } = await setup(16);
    await commit("Service", "AddressGroup", "Service", "Service");
    const c = store.cursor("Service", 1);
    expect(await drain(store, c)).toEqual([3, 4]);
  });

  test("a lapped cursor continues from the durable log without a gap or duplicate", async () => {
    const { store, commit } = await setup(4);
    const c = store.cursor("Service", 0);
    for (let i = 0; i < 20; i++) await commit(i % 3 === 0 ? "AddressGroup" : "Service");
    const got = await drain(store, c);
    const want = Array.from({ length: 20 }, (_, i) => i + 1).filter((rv) => (rv - 1) % 3 !== 0);
    expect(got).toEqual(want);
    expect(c.lapped).toBe(1);
    expect(store.stats.logReads).toBeGreaterThan(0);
  });

  test("resumes from RV 41 without a gap after the ring has moved on", async () => {
    const { store, commit } = await setup(8);
    for (let i = 0; i < 60; i++) await commit("Service");
    const c = store.cursor("Service", 41);
    expect(await drain(store, c)).toEqual(Array.from({ length: 19 }, (_, i) => 42 + i));
  });

  test("a position below the retention floor is expired, not skipped", async () => {
    const { store, commit, setFloor } = await setup(4);
    for (let i = 0; i < 10; i++) await commit("Service");
    setFloor(5);
    const r = await store.read(store.cursor("Service", 3));
    expect(r.kind).toBe("expired");
    const ok = store.cursor("Service", 5);
    expect(await drain(store, ok)).toEqual([6, 7, 8, 9, 10]);
  });

  test("expiry is exact at the floor: one below it expires, at it the cursor continues", async () => {
    const { store, commit, setFloor } = await setup(4);
    for (let i = 0; i < 10; i++) await commit("Service");
    setFloor(5); // events 1..5 are gone: a client at 4 would miss 5
    const below = await store.read(store.cursor("Service", 4));
    expect(below).toEqual({ kind: "expired", floorRv: 5 });
    expect(await drain(store, store.cursor("Service", 5))).toEqual([6, 7, 8, 9, 10]);
  });

  test("publishing does not touch cursors: 10,000 idle cursors cost nothing per event", async () => {
    const { store, commit } = await setup(64);
    const cursors = Array.from({ length: 10_000 }, () => store.cursor("Service", 0));
    for (let i = 0; i < 50; i++) await commit("Service");
    // every cursor still reads the same 50 events in order, straight from the ring
    for (const c of cursors.slice(0, 100)) expect(await drain(store, c)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(store.stats.logReads).toBe(0);
  });
});
