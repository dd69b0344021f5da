import { describe, expect, test } from "bun:test";
import { createWatchLog } from "../../src/watch-log/mod.ts";
import type { StoredEvent } from "../../src/backend/store/persistence.ts";

const ev = (rv: number): StoredEvent => ({
  rv,
  kind: "Service",
  type: "ADDED",
  namespace: "ns",
  name: `o${rv}`,
  object: { apiVersion: "v", kind: "Service", metadata: { name: `o${rv}`, namespace: "ns" } },
  time: 0,
});

describe("watch log", () => {
  test("holds events in order until it wraps", () => {
    const r = createWatchLog<StoredEvent>(4, 10);
    for (const rv of [11, 12, 13]) r.publish(ev(rv));
    expect(r.size).toBe(3);
    expect([0, 1, 2].map((s) => r.at(s)!.rv)).toEqual([11, 12, 13]);
    expect(r.floorRv).toBe(10);
  });

  test("wrap-around evicts the oldest and raises the floor to its rv", () => {
    const r = createWatchLog<StoredEvent>(3, 0);
    for (const rv of [1, 2, 3, 4, 5]) r.publish(ev(rv));
    expect(r.oldestSeq).toBe(2);
    expect(r.at(1)).toBeUndefined();
    expect(r.at(2)!.rv).toBe(3);
    expect(r.at(4)!.rv).toBe(5);
    expect(r.floorRv).toBe(2);
  });

  test("finds the first sequence after a resourceVersion across the wrap point", () => {
    const r = createWatchLog<StoredEvent>(4, 0);
    for (const rv of [2, 4, 6, 8, 10, 12]) r.publish(ev(rv));
    // holds 6, 8, 10, 12 at seqs 2..5
    expect(r.seqAfterRv(6)).toBe(3);
    expect(r.seqAfterRv(7)).toBe(3);
    expect(r.seqAfterRv(12)).toBe(6);
    expect(r.seqAfterRv(4)).toBe(2);
  });

  test("wakes every waiter with one shared promise per publish", async () => {
    const r = createWatchLog<StoredEvent>(2, 0);
    const a = r.changed();
    const b = r.changed();
    expect(a).toBe(b);
    r.publish(ev(1));
    await Promise.all([a, b]);
    expect(r.changed()).not.toBe(a);
  });

  test("a cursor below the oldest held entry reads as lapped; one at or above it does not", () => {
    const r = createWatchLog<StoredEvent>(2, 0);
    for (const rv of [1, 2, 3]) r.publish(ev(rv));
    expect(r.isLapped(0)).toBe(true);
    expect(r.isLapped(1)).toBe(false);
    expect(r.isLapped(3)).toBe(false);
  });

  test("a reset drops every entry, moves the floor to its resourceVersion and wakes waiting readers", () => {
    const r = createWatchLog<StoredEvent>(4, 0);
    for (const rv of [1, 2]) r.publish(ev(rv));
    let woken = 0;
    r.onNextPublish(() => woken++);
    r.reset(50, true);
    expect(woken).toBe(1);
    expect(r.size).toBe(0);
    expect(r.floorRv).toBe(50);
    // With lapCaughtUp even a cursor that had read everything (seq 2) reads as lapped.
    expect(r.isLapped(2)).toBe(true);
  });

  test("rejects a non-positive capacity", () => {
    expect(() => createWatchLog<StoredEvent>(0, 0)).toThrow();
  });
});
