/**
 * Clients whose resourceVersion is older than the cache holds (the cache started, or its ring
 * wrapped, after they listed) are caught up from the backend with a short-lived Watch, then served
 * from the shared cache; only when the backend cannot serve the position either do they get 410.
 */
import { expect, test } from "bun:test";
import { createBackendClient } from "../../../src/apiserver/backend-client.ts";
import { kindByName } from "../../../src/kinds/kind-table.ts";
import type { KubeObject } from "../../../src/kinds/model.ts";
import { clientFor } from "../../helpers/backend-harness.ts";
import { listKind, relabel, updateObj } from "../../helpers/rpc-helpers.ts";
import { about, backend, eventually, hub, makeSample, openWatch, params, rv, rvOf, useCleanup } from "./watch-kit.ts";

useCleanup();

const kind = kindByName("AddressGroup")!;

/**
 * Waits until the hub's cache of `kind` has taken in `n` more events than `before` (its
 * `eventsPublished` counter), however fast they came. The tests below give the cache a tiny ring so
 * that it wraps, so a hub watcher cannot be used to wait for the cache: when several events reach the
 * cache within one flush (the backend's own ring of 1 makes its stream resume from the log in
 * batches under load), a watcher further behind than the ring is — correctly — ended with 410.
 */
async function absorbed(h: ReturnType<typeof hub>, before: number, n: number, what: string): Promise<void> {
  await eventually(() => (h.stats()[kind.kind]?.eventsPublished ?? 0) >= before + n, 8000, what);
}

const briefOf = (es: { type: string; object: { metadata: { name: string; resourceVersion: string } } }[]) =>
  es.map((e) => [e.type, e.object.metadata.name, Number(e.object.metadata.resourceVersion)]);

test.each([["streaming"], ["auto"]] as const)("%s mode: a list resourceVersion older than a freshly started cache is caught up from the backend, then served from the cache", async (mode) => {
  const b = await backend({ bookmarkIntervalMs: 200 });
  const client = clientFor(b.url);
  const h = hub(createBackendClient(b.url), mode);
  await makeSample(client, kind, 1);
  const list = await listKind(client, kind);
  const x = await makeSample(client, kind, 2); // after the list, before the cache exists
  const w = openWatch(h, params(kind, { resourceVersion: String(list.resourceVersion) }));
  await w.until((es) => about(es, x.metadata.name).length === 1, 8000, "x from the catch-up");
  expect(h.stats()[kind.kind]!.catchUps).toBe(1);
  // the catch-up stream ends at the backend's next progress bookmark: one stream per kind again
  await eventually(() => b.activeWatches.get(kind.kind) === 1, 5000, "the catch-up stream closed");
  const x2 = await updateObj(client, relabel(x, "2"));
  const y = await makeSample(client, kind, 3);
  await w.until((es) => about(es, y.metadata.name).length === 1, 8000, "y");
  expect(briefOf(w.events)).toEqual([
    ["ADDED", x.metadata.name, rv(x)],
    ["MODIFIED", x.metadata.name, rv(x2)],
    ["ADDED", y.metadata.name, rv(y)],
  ]);
});

test("a client lapped before it connected (ring wrapped after its list) is caught up exactly, then follows live changes", async () => {
  const b = await backend();
  const client = clientFor(b.url);
  const h = hub(createBackendClient(b.url), "streaming", { cacheCapacity: 4 });
  // keeps the kind's source running; one event cannot lap it, so it proves the cache is live
  const warm = openWatch(h, params(kind, { resourceVersion: "0" }));
  const first = await makeSample(client, kind, 1);
  await warm.until((es) => about(es, first.metadata.name).length === 1, 8000, "warm");
  const before = h.stats()[kind.kind]!.eventsPublished;
  const list = await listKind(client, kind);
  const made: KubeObject[] = [];
  for (let i = 10; i < 20; i++) made.push(await makeSample(client, kind, i));
  await absorbed(h, before, made.length, "the ten in the cache");
  const w = openWatch(h, params(kind, { resourceVersion: String(list.resourceVersion), format: "table" }));
  await w.until((es) => es.length === made.length, 8000, "the ten through the catch-up");
  const live = await makeSample(client, kind, 30);
  await w.until((es) => es.length === made.length + 1, 8000, "live");
  expect(w.events.map((e) => [e.type, e.object.rows[0].cells[0], rvOf(e)])).toEqual([...made, live].map((o) => ["ADDED", o.metadata.name, rv(o)]));
  expect(w.events[0]!.object.columnDefinitions).toBeDefined();
  expect(w.events.slice(1).every((e) => e.object.columnDefinitions === undefined)).toBe(true);
  expect(h.stats()[kind.kind]!.catchUps).toBe(1);
  await eventually(() => b.activeWatches.get(kind.kind) === 1, 5000, "back to one stream");
});

test("a position the backend no longer has either gets one 410 ERROR", async () => {
  const b = await backend({ retention: { maxEvents: 1, maxAgeMs: 0 }, ringCapacity: 1 });
  const client = clientFor(b.url);
  const h = hub(createBackendClient(b.url), "streaming", { cacheCapacity: 2 });
  // keeps the kind's source running; one event cannot lap it, so it proves the cache is live
  const warm = openWatch(h, params(kind, { resourceVersion: "0" }));
  const first = await makeSample(client, kind, 1);
  await warm.until((es) => about(es, first.metadata.name).length === 1, 8000, "warm");
  const before = h.stats()[kind.kind]!.eventsPublished;
  const list = await listKind(client, kind);
  const made: KubeObject[] = [];
  for (let i = 10; i < 15; i++) made.push(await makeSample(client, kind, i));
  // the cache's 2-event ring has wrapped past the list position; the backend's ring (1 event) too,
  // and after the trim its log keeps only the newest event (a port mapping's, since the derive step)
  await absorbed(h, before, made.length, "the five in the cache");
  await b.engine.trimNow();
  expect(b.engine.currentRv).toBeGreaterThan(rv(made.at(-1)!)); // each AddressGroup brings its port mapping
  const w = openWatch(h, params(kind, { resourceVersion: String(list.resourceVersion) }));
  const events = await w.finished();
  expect(events.map((e) => e.type)).toEqual(["ERROR"]);
  expect(events[0]!.object).toMatchObject({ kind: "Status", apiVersion: "v1", status: "Failure", reason: "Expired", code: 410 });
  expect(events[0]!.object.message).toMatch(new RegExp(`^too old resource version: ${list.resourceVersion} \\(\\d+\\)$`));
  // the 410 came from the backend, after a catch-up was tried (the cache alone does not decide it)
  expect(h.stats()[kind.kind]!.catchUps).toBe(1);
});

test("polling mode: a position older than the cache cannot be caught up and gets 410 at once", async () => {
  const b = await backend();
  const client = clientFor(b.url);
  const h = hub(createBackendClient(b.url), "polling");
  await makeSample(client, kind, 1);
  const list = await listKind(client, kind);
  await makeSample(client, kind, 2);
  const w = openWatch(h, params(kind, { resourceVersion: String(list.resourceVersion) }));
  const events = await w.finished();
  expect(events.map((e) => e.type)).toEqual(["ERROR"]);
  expect(events[0]!.object.code).toBe(410);
  expect(b.activeWatches.get(kind.kind) ?? 0).toBe(0);
});
