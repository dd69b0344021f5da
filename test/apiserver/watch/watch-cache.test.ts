/**
 * The in-memory parts on their own: the ring and its cursors, the cache's diff by key and
 * resourceVersion, duplicate suppression, relist gaps, encode-once, selector enter/leave, backoff.
 */
import { describe, expect, test } from "bun:test";
import { createBackoff } from "../../../src/apiserver/watch/backoff.ts";
import type { CacheEvent } from "../../../src/apiserver/watch/cache-event.ts";
import { createRvRing } from "../../../src/watch-log/rv-ring.ts";
import { createEventEncoder } from "../../../src/apiserver/watch/event-encoder.ts";
import { createWatchFilter } from "../../../src/apiserver/watch/event-filter.ts";
import { createWatchCache, type WatchCache } from "../../../src/apiserver/watch/watch-cache.ts";
import { createKindWatchStats } from "../../../src/apiserver/watch/watch-stats.ts";
import { kindByName } from "../../../src/kinds/kind-table.ts";
import { createObjectFilter } from "../../../src/kinds/selectors.ts";
import { API_VERSION, type KubeObject } from "../../../src/kinds/model.ts";

const kind = kindByName("Service")!;
const svc = (name: string, rv: number, labels?: Record<string, string>, description = ""): KubeObject => ({
  apiVersion: API_VERSION,
  kind: "Service",
  metadata: { name, namespace: "shop", resourceVersion: String(rv), ...(labels ? { labels } : {}) },
  spec: { description },
});

function cacheWithHooks(capacity = 16) {
  const gaps: [number, number][] = [];
  let resets = 0;
  let publishes = 0;
  const cache = createWatchCache(
    kind,
    capacity,
    { onPublish: () => publishes++, onGap: (f, t) => gaps.push([f, t]), onReset: () => resets++ },
    createKindWatchStats(),
  );
  return { cache, gaps, get resets() { return resets; }, get publishes() { return publishes; } };
}

const ringEvents = (c: WatchCache) => {
  const out: [string, string, number][] = [];
  for (let s = c.ring.oldestSeq; s < c.ring.nextSeq; s++) {
    const e = c.ring.at(s)!;
    out.push([e.type, e.name, e.rv]);
  }
  return out;
};

describe("cache ring", () => {
  test("cursors find the first event after a resourceVersion; overwritten entries read as lapped", () => {
    const ring = createRvRing<{ rv: number }>(3);
    for (const rv of [5, 7, 7, 9]) ring.push({ rv });
    expect(ring.oldestSeq).toBe(1);
    expect(ring.evictedRv).toBe(5);
    expect(ring.at(0)).toBeUndefined();
    expect(ring.seqAfterRv(6)).toBe(1);
    expect(ring.seqAfterRv(7)).toBe(3);
    expect(ring.seqAfterRv(100)).toBe(4);
    ring.clear();
    expect(ring.oldestSeq).toBe(4);
    expect(ring.at(3)).toBeUndefined();
    ring.push({ rv: 11 });
    expect(ring.at(4)!.rv).toBe(11);
  });
});

describe("watch cache", () => {
  test("the first sync loads the state without events; later syncs publish the differences by key and resourceVersion", () => {
    const h = cacheWithHooks();
    const { cache } = h;
    expect(cache.ready).toBe(false);
    cache.sync([svc("a", 1), svc("b", 2), svc("c", 3)], 10, { gap: false });
    expect(cache.ready && cache.loaded).toBe(true);
    expect(cache.rv).toBe(10);
    expect(ringEvents(cache)).toEqual([]);
    // b: same resourceVersion but different content → not a change (rv decides, not deep equality)
    cache.sync([svc("a", 12, { x: "1" }), svc("b", 2, undefined, "changed?"), svc("d", 11)], 14, { gap: false });
    expect(ringEvents(cache)).toEqual([
      ["ADDED", "d", 11],
      ["MODIFIED", "a", 12],
      ["DELETED", "c", 14],
    ]);
    const deleted = cache.ring.at(2)!;
    expect(deleted.object.metadata.resourceVersion).toBe("14");
    const modified = cache.ring.at(1)! as CacheEvent;
    expect(modified.prevLabels).toBeUndefined();
    expect([...cache.state.keys()].sort()).toEqual(["shop/a", "shop/b", "shop/d"]);
    expect(cache.rv).toBe(14);
    expect(h.gaps).toEqual([]);
  });

  test("exact events apply once: anything at or below the cache position is ignored", () => {
    const { cache } = cacheWithHooks();
    cache.sync([svc("a", 1)], 5, { gap: false });
    expect(cache.apply("MODIFIED", svc("a", 4), 4)).toBe(false);
    expect(cache.apply("MODIFIED", svc("a", 6, { t: "1" }), 6)).toBe(true);
    expect(cache.apply("MODIFIED", svc("a", 6), 6)).toBe(false);
    cache.progress(9);
    expect(cache.apply("ADDED", svc("b", 8), 8)).toBe(false);
    expect(cache.apply("ADDED", svc("b", 10), 10)).toBe(true);
    // a stray ADDED for a known key becomes MODIFIED, carrying the previous labels
    expect(cache.apply("ADDED", svc("a", 11, { t: "2" }), 11)).toBe(true);
    expect(ringEvents(cache)).toEqual([
      ["MODIFIED", "a", 6],
      ["ADDED", "b", 10],
      ["MODIFIED", "a", 11],
    ]);
    expect(cache.ring.at(2)!.prevLabels).toEqual({ t: "1" });
  });

  test("a relist records a gap: positions strictly inside it cannot be served exactly", () => {
    const h = cacheWithHooks();
    const { cache } = h;
    cache.sync([svc("a", 1)], 5, { gap: false });
    cache.apply("ADDED", svc("b", 6), 6);
    cache.sync([svc("a", 1), svc("b", 6), svc("c", 8)], 12, { gap: true });
    expect(h.gaps).toEqual([[6, 12]]);
    expect(cache.isServable(4)).toBe(false); // below the floor
    expect(cache.isServable(5)).toBe(true);
    expect(cache.isServable(6)).toBe(true);
    expect(cache.isServable(7)).toBe(false);
    expect(cache.isServable(11)).toBe(false);
    expect(cache.isServable(12)).toBe(true);
    expect(cache.isServable(40)).toBe(true); // ahead: served with a watermark
  });

  test("the floor rises as the ring evicts", () => {
    const { cache } = cacheWithHooks(2);
    cache.sync([], 1, { gap: false });
    for (let rv = 2; rv <= 5; rv++) cache.apply("ADDED", svc(`s${rv}`, rv), rv);
    expect(cache.floorRv).toBe(3);
    expect(cache.isServable(2)).toBe(false);
    expect(cache.isServable(3)).toBe(true);
  });

  test("an upstream whose resourceVersions went backwards resets the cache and voids every position", () => {
    const h = cacheWithHooks();
    const { cache } = h;
    cache.sync([svc("a", 50)], 50, { gap: false });
    cache.apply("ADDED", svc("b", 51), 51);
    cache.sync([svc("z", 3)], 3, { gap: true });
    expect(h.resets).toBe(1);
    expect(cache.rv).toBe(3);
    expect(ringEvents(cache)).toEqual([]);
    expect([...cache.state.keys()]).toEqual(["shop/z"]);
  });

  test("whenReady waits for the re-sync after beginSync", async () => {
    const { cache } = cacheWithHooks();
    cache.sync([], 1, { gap: false });
    cache.beginSync();
    let ready = false;
    const p = cache.whenReady().then(() => (ready = true));
    await Bun.sleep(5);
    expect(ready).toBe(false);
    cache.sync([], 2, { gap: true });
    await p;
    expect(ready).toBe(true);
  });
});

describe("encoding", () => {
  test("an event is encoded once per variant and the same bytes are handed to every watcher", () => {
    const enc = createEventEncoder(kind);
    const ev: CacheEvent = { type: "ADDED", rv: 7, object: svc("a", 7), namespace: "shop", name: "a" };
    const json = { format: "json", include: "Metadata" } as const;
    const table = { format: "table", include: "None" } as const;
    expect(enc.line(ev, "ADDED", json, false)).toBe(enc.line(ev, "ADDED", json, false));
    expect(enc.line(ev, "ADDED", table, false)).toBe(enc.line(ev, "ADDED", table, false));
    expect(enc.line(ev, "ADDED", table, true)).not.toBe(enc.line(ev, "ADDED", table, false));
    const line = JSON.parse(new TextDecoder().decode(enc.line(ev, "DELETED", json, false)));
    expect(line).toEqual({ type: "DELETED", object: svc("a", 7) });
    const row = JSON.parse(new TextDecoder().decode(enc.line(ev, "ADDED", table, false)));
    expect(row.object).toMatchObject({ kind: "Table", metadata: { resourceVersion: "7" }, rows: [{ cells: ["a", "", "Active", expect.any(String), "", ""] }] });
    expect(row.object.columnDefinitions).toBeUndefined();
    expect(row.object.rows[0].object).toBeUndefined();
  });
});

describe("selectors", () => {
  test("label selectors see objects enter as ADDED and leave as DELETED", () => {
    const f = createWatchFilter(createObjectFilter("", "tier=web", ""));
    const mod = (labels: Record<string, string> | undefined, prevLabels: Record<string, string> | undefined): CacheEvent => ({
      type: "MODIFIED",
      rv: 2,
      object: svc("a", 2, labels),
      namespace: "shop",
      name: "a",
      ...(prevLabels ? { prevLabels } : {}),
    });
    expect(f.typeFor(mod({ tier: "web" }, undefined))).toBe("ADDED");
    expect(f.typeFor(mod({ tier: "web" }, { tier: "web" }))).toBe("MODIFIED");
    expect(f.typeFor(mod({ tier: "db" }, { tier: "web" }))).toBe("DELETED");
    expect(f.typeFor(mod({ tier: "db" }, undefined))).toBeUndefined();
    const ns = createWatchFilter(createObjectFilter("other", "", "metadata.name=a"));
    expect(ns.accepts(svc("a", 1))).toBe(false);
    expect(createWatchFilter(createObjectFilter("shop", "", "metadata.name=a")).accepts(svc("a", 1))).toBe(true);
  });
});

describe("backoff", () => {
  test("grows exponentially with jitter, is capped, and resets", () => {
    const b = createBackoff({ initialMs: 100, maxMs: 1000, jitter: 0.2 });
    const delays = Array.from({ length: 8 }, () => b.next());
    expect(delays[0]).toBeGreaterThanOrEqual(80);
    expect(delays[0]).toBeLessThanOrEqual(120);
    expect(delays[3]).toBeGreaterThanOrEqual(640);
    expect(delays.every((d) => d <= 1000)).toBe(true);
    expect(delays.at(-1)).toBeGreaterThanOrEqual(800);
    b.reset();
    expect(b.next()).toBeLessThanOrEqual(120);
  });
});
