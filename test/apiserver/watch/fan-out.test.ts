/**
 * Fan-out: one upstream per kind whatever the number of watch clients (counted on the real
 * backend's open Watch streams and on the poller's List calls), and every client gets every event.
 */
import { expect, test } from "bun:test";
import { createBackendClient } from "../../../src/apiserver/backend-client.ts";
import { KINDS, kindByName } from "../../../src/kinds/kind-table.ts";
import { clientFor } from "../../helpers/backend-harness.ts";
import { about, backend, eventually, faultyClient, hub, makeSample, openWatch, params, sleepMs, useCleanup, type HubWatch } from "./watch-kit.ts";

useCleanup();

const WATCHERS_PER_KIND = 20;

test.each([["streaming"], ["auto"]] as const)("%s mode: one backend Watch stream per kind, however many clients watch it", async (mode) => {
  const b = await backend();
  const client = clientFor(b.url);
  const counting = faultyClient(b.url);
  const h = hub(counting.client, mode);
  const watches: { kind: (typeof KINDS)[number]; w: HubWatch }[] = [];
  for (const kind of KINDS) {
    for (let i = 0; i < WATCHERS_PER_KIND; i++) {
      const variant = i % 4;
      const p =
        variant === 0
          ? params(kind, { resourceVersion: "0" })
          : variant === 1
            ? params(kind, { resourceVersion: "0", format: "table" })
            : variant === 2
              ? params(kind, { sendInitialEvents: true, allowBookmarks: true })
              : params(kind, { resourceVersion: "", namespace: kind.kind === "AddressGroupBindingPolicy" ? "infra" : "shop" });
      watches.push({ kind, w: openWatch(h, p) });
    }
  }
  const made = new Map<string, string>();
  for (const kind of KINDS) made.set(kind.kind, (await makeSample(client, kind, 1)).metadata.name);
  for (const { kind, w } of watches) await w.until((es) => about(es, made.get(kind.kind)!).length === 1, 8000, `${kind.kind} sample`);
  for (const kind of KINDS) {
    expect(b.activeWatches.get(kind.kind)).toBe(1);
    expect(counting.watchCalls.get(kind.kind)).toBe(1);
    expect(h.stats()[kind.kind]!.activeWatchers).toBe(WATCHERS_PER_KIND);
    expect(h.stats()[kind.kind]!.upstreamWatchCalls).toBe(1);
  }
});

test("polling mode: one poller per kind, however many clients watch it", async () => {
  const b = await backend();
  const client = clientFor(b.url);
  const kind = kindByName("Service")!;
  const h = hub(createBackendClient(b.url), "polling", { pollingIntervalMs: 100 });
  const started = Date.now();
  const watches = Array.from({ length: 50 }, (_, i) => openWatch(h, params(kind, { resourceVersion: "0", format: i % 2 ? "table" : "json" })));
  const a = await makeSample(client, kind, 1);
  for (const w of watches) await w.until((es) => about(es, a.metadata.name).length === 1, 8000, "a");
  await sleepMs(600);
  // event-driven lower bound (a loaded machine may poll late); the upper bound is per elapsed time
  await eventually(() => h.stats()[kind.kind]!.listCalls >= 3, 8000, "three polls");
  const elapsed = Date.now() - started;
  const lists = h.stats()[kind.kind]!.listCalls;
  expect(lists).toBeGreaterThanOrEqual(3);
  expect(lists).toBeLessThanOrEqual(Math.ceil(elapsed / 100) + 2);
  expect(b.activeWatches.get(kind.kind) ?? 0).toBe(0);
});

test("a burst of changes reaches every client in order, coalesced into few writes", async () => {
  const b = await backend();
  const client = clientFor(b.url);
  const kind = kindByName("AddressGroup")!;
  const h = hub(createBackendClient(b.url), "streaming");
  const watches = Array.from({ length: 30 }, () => openWatch(h, params(kind, { resourceVersion: "0" })));
  await eventually(() => h.sourceModes()[kind.kind] === "streaming" && b.activeWatches.get(kind.kind) === 1, 5000, "stream up");
  await sleepMs(50);
  const names: string[] = [];
  await Promise.all(
    Array.from({ length: 40 }, async (_, i) => {
      names.push((await makeSample(client, kind, 100 + i)).metadata.name);
    }),
  );
  for (const w of watches) await w.until((es) => about(es, ...names).length === names.length, 8000, "the burst");
  const first = watches[0]!.events.map((e) => e.object.metadata.resourceVersion);
  for (const w of watches) expect(w.events.map((e) => e.object.metadata.resourceVersion)).toEqual(first);
  // fewer writes than events: the flush coalesces what arrived in one tick
  for (const w of watches) expect(w.chunks.length).toBeLessThanOrEqual(names.length / 4);
  expect(h.stats()[kind.kind]!.eventsDelivered).toBe(30 * names.length);
});
