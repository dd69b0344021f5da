/**
 * The behaviour every Persistence must share, written once and run against each implementation so
 * the memory store used in engine tests cannot drift from the SQLite store used in production.
 */
import { describe, expect, test } from "bun:test";
import type { Persistence, StoredEvent } from "../../src/backend/store/persistence.ts";
import { InvalidBatchError, PersistenceClosedError } from "../../src/backend/store/store-errors.ts";
import { addedRange, makeEvent, T0 } from "./fixtures.ts";

/** One isolated storage location. */
export interface PersistenceHarness {
  /** Opens the store; opening again after close() must see what was committed (a restart). */
  open(): Promise<Persistence>;
  /** Removes whatever the harness created (files, directories). */
  dispose(): void | Promise<void>;
}

export function describePersistenceContract(name: string, createHarness: () => PersistenceHarness): void {
  /** Runs `fn` with a fresh store, and always closes and cleans up. */
  async function withStore(fn: (store: Persistence, harness: PersistenceHarness) => Promise<void>): Promise<void> {
    const harness = createHarness();
    const store = await harness.open();
    try {
      await fn(store, harness);
    } finally {
      await store.close();
      await harness.dispose();
    }
  }

  const SNAPSHOT_KINDS = ["Service", "AddressGroup"];
  async function snapshot(store: Persistence) {
    const events: StoredEvent[] = [];
    for (const kind of SNAPSHOT_KINDS) events.push(...(await store.readEvents(kind, 0, 1000)));
    return { loaded: await store.load(), events, count: await store.eventCount() };
  }

  describe(`${name}: persistence contract`, () => {
    test("starts empty with the counter and the floor at zero", async () => {
      await withStore(async (store) => {
        expect(await store.load()).toEqual({ objects: [], rv: 0, floorRv: 0 });
        expect(await store.eventCount()).toBe(0);
        expect(await store.readEvents("Service", 0, 10)).toEqual([]);
      });
    });

    test("returns committed objects and events exactly as they were written", async () => {
      await withStore(async (store) => {
        const added = makeEvent(1, "ADDED", "Service", "web", { labels: { app: "web" } });
        const modified = makeEvent(2, "MODIFIED", "Service", "web", {
          labels: { app: "web2" },
          prevLabels: { app: "web" },
          spec: { description: "ünïcødé ✓ \"quoted\"", list: [1, { a: [] }], empty: {} },
        });
        const group = makeEvent(3, "ADDED", "AddressGroup", "ag", { namespace: "prod" });
        await store.commit({ rv: 3, events: [added, modified, group] });

        const loaded = await store.load();
        expect(loaded.rv).toBe(3);
        expect(loaded.floorRv).toBe(0);
        expect(loaded.objects).toEqual([
          { kind: "AddressGroup", object: group.object },
          { kind: "Service", object: modified.object },
        ]);
        expect(await store.readEvents("Service", 0, 10)).toStrictEqual([added, modified]);
        expect(await store.readEvents("AddressGroup", 0, 10)).toStrictEqual([group]);
        expect(await store.eventCount()).toBe(3);
      });
    });

    test("keeps objects, events, the counter and the floor across a restart", async () => {
      await withStore(async (first, harness) => {
        await first.commit({ rv: 4, events: addedRange(1, 4) });
        await first.commit({ rv: 9, events: [makeEvent(5, "DELETED", "Service", "obj-1")] });
        expect(await first.trim({ maxEvents: 3, maxAgeMs: 0 }, T0)).toBe(2);
        const before = await snapshot(first);
        await first.close();

        const second = await harness.open();
        try {
          expect(await snapshot(second)).toEqual(before);
          expect((await second.load()).rv).toBe(9);
          expect((await second.load()).floorRv).toBe(2);
          // The counter is the floor for new resourceVersions after the restart, too.
          await expect(second.commit({ rv: 9, events: [makeEvent(9, "ADDED", "Service", "x")] })).rejects.toThrow(
            InvalidBatchError,
          );
          await second.commit({ rv: 10, events: [makeEvent(10, "ADDED", "Service", "x")] });
          expect((await second.load()).rv).toBe(10);
        } finally {
          await second.close();
        }
      });
    });

    test("keeps one row per object holding its latest state", async () => {
      await withStore(async (store) => {
        await store.commit({ rv: 1, events: [makeEvent(1, "ADDED", "Service", "web")] });
        await store.commit({ rv: 2, events: [makeEvent(2, "MODIFIED", "Service", "web")] });
        const last = makeEvent(3, "MODIFIED", "Service", "web", { labels: { v: "3" } });
        await store.commit({ rv: 3, events: [last] });
        expect((await store.load()).objects).toEqual([{ kind: "Service", object: last.object }]);
        expect(await store.eventCount()).toBe(3);
      });
    });

    test("tells objects of the same name apart by kind and namespace", async () => {
      await withStore(async (store) => {
        const events = [
          makeEvent(1, "ADDED", "Service", "same", { namespace: "a" }),
          makeEvent(2, "ADDED", "Service", "same", { namespace: "b" }),
          makeEvent(3, "ADDED", "AddressGroup", "same", { namespace: "a" }),
          makeEvent(4, "ADDED", "Network", "same", { namespace: "" }),
        ];
        await store.commit({ rv: 4, events });
        await store.commit({ rv: 5, events: [makeEvent(5, "DELETED", "Service", "same", { namespace: "a" })] });
        const names = (await store.load()).objects.map((o) => `${o.kind}/${o.object.metadata.namespace}/${o.object.metadata.name}`);
        expect(names).toEqual(["AddressGroup/a/same", "Network//same", "Service/b/same"]);
      });
    });

    test("removes the object on DELETED but keeps the event in the log", async () => {
      await withStore(async (store) => {
        await store.commit({ rv: 2, events: [makeEvent(1, "ADDED", "Service", "web"), makeEvent(2, "ADDED", "Service", "db")] });
        const deleted = makeEvent(3, "DELETED", "Service", "web");
        await store.commit({ rv: 3, events: [deleted] });
        const loaded = await store.load();
        expect(loaded.objects.map((o) => o.object.metadata.name)).toEqual(["db"]);
        const events = await store.readEvents("Service", 0, 10);
        expect(events.map((e) => [e.rv, e.type, e.name])).toEqual([
          [1, "ADDED", "web"],
          [2, "ADDED", "db"],
          [3, "DELETED", "web"],
        ]);
        expect(events[2]).toStrictEqual(deleted);
      });
    });

    test("adds, deletes and re-adds the same object within one batch", async () => {
      await withStore(async (store) => {
        const readded = makeEvent(3, "ADDED", "Service", "web", { labels: { again: "yes" } });
        await store.commit({
          rv: 3,
          events: [makeEvent(1, "ADDED", "Service", "web"), makeEvent(2, "DELETED", "Service", "web"), readded],
        });
        expect((await store.load()).objects).toEqual([{ kind: "Service", object: readded.object }]);
        expect(await store.eventCount()).toBe(3);
      });
    });

    test("stores a counter that runs ahead of the last event", async () => {
      await withStore(async (store) => {
        await store.commit({ rv: 5, events: [makeEvent(1, "ADDED", "Service", "web")] });
        expect((await store.load()).rv).toBe(5);
        await store.commit({ rv: 7, events: [] });
        expect((await store.load()).rv).toBe(7);
        expect(await store.eventCount()).toBe(1);
      });
    });

    test("reads events of one kind after a resourceVersion, ascending, up to the limit", async () => {
      await withStore(async (store) => {
        await store.commit({ rv: 10, events: addedRange(1, 10) }); // odd rvs Service, even AddressGroup
        const rvs = async (kind: string, after: number, limit: number) =>
          (await store.readEvents(kind, after, limit)).map((e) => e.rv);
        expect(await rvs("Service", 0, 100)).toEqual([1, 3, 5, 7, 9]);
        expect(await rvs("AddressGroup", 0, 100)).toEqual([2, 4, 6, 8, 10]);
        expect(await rvs("Service", 3, 100)).toEqual([5, 7, 9]);
        expect(await rvs("Service", 4, 100)).toEqual([5, 7, 9]);
        expect(await rvs("Service", 0, 2)).toEqual([1, 3]);
        expect(await rvs("Service", 3, 2)).toEqual([5, 7]);
        expect(await rvs("AddressGroup", 9, 1)).toEqual([10]);
      });
    });

    test("returns no events for an unknown kind, a zero limit or a resourceVersion at the end", async () => {
      await withStore(async (store) => {
        await store.commit({ rv: 4, events: addedRange(1, 4) });
        expect(await store.readEvents("Nope", 0, 10)).toEqual([]);
        expect(await store.readEvents("Service", 0, 0)).toEqual([]);
        expect(await store.readEvents("Service", 4, 10)).toEqual([]);
        expect(await store.readEvents("Service", 100, 10)).toEqual([]);
      });
    });

    test("trims the oldest events beyond maxEvents and moves the floor to the newest trimmed", async () => {
      await withStore(async (store) => {
        await store.commit({ rv: 10, events: addedRange(1, 10) });
        expect(await store.trim({ maxEvents: 4, maxAgeMs: 0 }, T0)).toBe(6);
        expect(await store.eventCount()).toBe(4);
        expect((await store.load()).floorRv).toBe(6);
        expect((await store.readEvents("Service", 0, 100)).map((e) => e.rv)).toEqual([7, 9]);
        expect((await store.readEvents("AddressGroup", 0, 100)).map((e) => e.rv)).toEqual([8, 10]);
        // Trimming the log leaves current objects alone.
        expect((await store.load()).objects).toHaveLength(10);
      });
    });

    test("trims events older than maxAgeMs and keeps those inside the window", async () => {
      await withStore(async (store) => {
        await store.commit({ rv: 10, events: addedRange(1, 10, (rv) => T0 + rv * 1000) });
        // now = T0 + 12s, window 5s: events stamped before T0 + 7s (rv 1..6) are too old.
        expect(await store.trim({ maxEvents: 0, maxAgeMs: 5000 }, T0 + 12_000)).toBe(6);
        expect(await store.eventCount()).toBe(4);
        // An event exactly at the window's edge is not older than maxAgeMs.
        expect(await store.trim({ maxEvents: 0, maxAgeMs: 5000 }, T0 + 12_000)).toBe(6);
        expect(await store.eventCount()).toBe(4);
        // Everything expired: the log empties and the floor reaches the last event.
        expect(await store.trim({ maxEvents: 0, maxAgeMs: 5000 }, T0 + 60_000)).toBe(10);
        expect(await store.eventCount()).toBe(0);
        expect((await store.load()).rv).toBe(10);
      });
    });

    test("stops trimming by age at the first event still inside the window", async () => {
      await withStore(async (store) => {
        // rv 4 has a young stamp, rv 5 an old one (the clock stepped back): the log stays gap-free.
        const times: Record<number, number> = { 1: T0, 2: T0, 3: T0, 4: T0 + 50_000, 5: T0, 6: T0 + 50_000 };
        await store.commit({ rv: 6, events: addedRange(1, 6, (rv) => times[rv]!) });
        expect(await store.trim({ maxEvents: 0, maxAgeMs: 10_000 }, T0 + 55_000)).toBe(3);
        expect(await store.eventCount()).toBe(3);
      });
    });

    test("applies whichever of maxEvents and maxAgeMs trims more", async () => {
      await withStore(async (store) => {
        await store.commit({ rv: 10, events: addedRange(1, 10, (rv) => T0 + rv * 1000) });
        expect(await store.trim({ maxEvents: 8, maxAgeMs: 5000 }, T0 + 12_000)).toBe(6);
        expect(await store.trim({ maxEvents: 2, maxAgeMs: 5000 }, T0 + 12_000)).toBe(8);
        expect(await store.eventCount()).toBe(2);
      });
    });

    test("never lowers the floor", async () => {
      await withStore(async (store) => {
        await store.commit({ rv: 10, events: addedRange(1, 10) });
        expect(await store.trim({ maxEvents: 3, maxAgeMs: 0 }, T0)).toBe(7);
        expect(await store.trim({ maxEvents: 100, maxAgeMs: 0 }, T0)).toBe(7);
        expect(await store.trim({ maxEvents: 0, maxAgeMs: 0 }, T0)).toBe(7);
        expect(await store.trim({ maxEvents: 0, maxAgeMs: 1 }, 0)).toBe(7);
        expect((await store.load()).floorRv).toBe(7);
        // Even with the log emptied and refilled, the floor only moves up.
        expect(await store.trim({ maxEvents: 0, maxAgeMs: 1 }, T0 + 1_000_000)).toBe(10);
        await store.commit({ rv: 12, events: addedRange(11, 12) });
        expect(await store.trim({ maxEvents: 5, maxAgeMs: 0 }, T0)).toBe(10);
        expect(await store.eventCount()).toBe(2);
      });
    });

    test("leaves the log alone when retention is unlimited", async () => {
      await withStore(async (store) => {
        await store.commit({ rv: 5, events: addedRange(1, 5) });
        expect(await store.trim({ maxEvents: 0, maxAgeMs: 0 }, T0 + 1e12)).toBe(0);
        expect(await store.eventCount()).toBe(5);
        const empty = createHarness();
        const fresh = await empty.open();
        try {
          expect(await fresh.trim({ maxEvents: 1, maxAgeMs: 1 }, T0)).toBe(0);
        } finally {
          await fresh.close();
          await empty.dispose();
        }
      });
    });

    test("writes nothing of a batch that fails midway, and stays usable", async () => {
      await withStore(async (store) => {
        await store.commit({ rv: 2, events: [makeEvent(1, "ADDED", "Service", "a"), makeEvent(2, "ADDED", "AddressGroup", "g")] });
        const before = await snapshot(store);
        // The second event's object cannot be serialized: the failure happens after the first
        // event (an update of "a" plus a new object and a delete) has been handled.
        const poisoned = makeEvent(4, "ADDED", "Service", "b");
        poisoned.object.spec = { big: 10n };
        const batch = {
          rv: 6,
          events: [makeEvent(3, "MODIFIED", "Service", "a"), poisoned, makeEvent(5, "DELETED", "AddressGroup", "g")],
        };
        await expect(store.commit(batch)).rejects.toThrow(TypeError);
        expect(await snapshot(store)).toEqual(before);

        await store.commit({ rv: 3, events: [makeEvent(3, "ADDED", "Service", "c")] });
        expect((await store.load()).rv).toBe(3);
        expect(await store.eventCount()).toBe(3);
      });
    });

    test("rejects a batch whose second event repeats a resourceVersion, writing nothing", async () => {
      await withStore(async (store) => {
        await store.commit({ rv: 1, events: [makeEvent(1, "ADDED", "Service", "a")] });
        const before = await snapshot(store);
        const batch = { rv: 3, events: [makeEvent(2, "ADDED", "Service", "b"), makeEvent(2, "ADDED", "Service", "c")] };
        await expect(store.commit(batch)).rejects.toThrow(InvalidBatchError);
        expect(await snapshot(store)).toEqual(before);
        expect((await store.load()).rv).toBe(1);
      });
    });

    test("rejects resourceVersions at or below the stored counter, even after their events were trimmed", async () => {
      await withStore(async (store) => {
        await store.commit({ rv: 5, events: addedRange(1, 3) });
        await store.trim({ maxEvents: 1, maxAgeMs: 0 }, T0);
        const before = await snapshot(store);
        for (const rv of [1, 3, 5]) {
          await expect(store.commit({ rv: 6, events: [makeEvent(rv, "ADDED", "Service", "x")] })).rejects.toThrow(
            InvalidBatchError,
          );
        }
        expect(await snapshot(store)).toEqual(before);
      });
    });

    test("rejects a counter that goes backwards or lags behind its own events", async () => {
      await withStore(async (store) => {
        await store.commit({ rv: 5, events: addedRange(1, 2) });
        await expect(store.commit({ rv: 4, events: [] })).rejects.toThrow(InvalidBatchError);
        await expect(store.commit({ rv: 6, events: [makeEvent(7, "ADDED", "Service", "x")] })).rejects.toThrow(
          InvalidBatchError,
        );
        await expect(
          store.commit({ rv: 8, events: [makeEvent(7, "ADDED", "Service", "x"), makeEvent(6, "ADDED", "Service", "y")] }),
        ).rejects.toThrow(InvalidBatchError);
        expect((await store.load()).rv).toBe(5);
        expect(await store.eventCount()).toBe(2);
      });
    });

    test("rejects malformed events instead of storing them", async () => {
      await withStore(async (store) => {
        const bad = [
          { ...makeEvent(1, "ADDED", "Service", "a"), type: "UPSERTED" },
          { ...makeEvent(1, "ADDED", "Service", "a"), rv: 1.5 },
          { ...makeEvent(1, "ADDED", "Service", "a"), time: Number.NaN },
          { ...makeEvent(1, "ADDED", "Service", "a"), object: null },
        ] as unknown as StoredEvent[];
        for (const e of bad) await expect(store.commit({ rv: 2, events: [e] })).rejects.toThrow(InvalidBatchError);
        expect(await snapshot(store)).toEqual({ loaded: { objects: [], rv: 0, floorRv: 0 }, events: [], count: 0 });
      });
    });

    test("is not affected by callers mutating objects they committed or read", async () => {
      await withStore(async (store) => {
        const event = makeEvent(1, "ADDED", "Service", "web", { labels: { app: "web" }, prevLabels: { app: "old" } });
        const pristine = structuredClone(event);
        await store.commit({ rv: 1, events: [event] });
        event.object.metadata.labels!.app = "changed";
        event.prevLabels!.app = "changed";

        const read = (await store.readEvents("Service", 0, 10))[0]!;
        read.object.metadata.name = "changed";
        (await store.load()).objects[0]!.object.metadata.name = "changed";

        expect(await store.readEvents("Service", 0, 10)).toStrictEqual([pristine]);
        expect((await store.load()).objects[0]!.object).toEqual(pristine.object);
      });
    });

    test("rejects every call after close", async () => {
      const harness = createHarness();
      const store = await harness.open();
      try {
        await store.commit({ rv: 1, events: [makeEvent(1, "ADDED", "Service", "a")] });
        await store.close();
        await store.close(); // closing twice is harmless
        await expect(store.load()).rejects.toThrow(PersistenceClosedError);
        await expect(store.commit({ rv: 2, events: [] })).rejects.toThrow(PersistenceClosedError);
        await expect(store.readEvents("Service", 0, 1)).rejects.toThrow(PersistenceClosedError);
        await expect(store.trim({ maxEvents: 1, maxAgeMs: 0 }, T0)).rejects.toThrow(PersistenceClosedError);
        await expect(store.eventCount()).rejects.toThrow(PersistenceClosedError);
      } finally {
        await harness.dispose();
      }
    });
  });
}
