/**
 * Catch-up streams belong to the kind, not to each lagging watcher (src/apiserver/watch/catch-up.ts):
 * clients resuming from the same old resourceVersion with the same selectors share one backend
 * Watch, each still gets exactly the events after its position, then continues from the cache.
 */
import { expect, test } from "bun:test";
import { createBackendClient } from "../../../src/apiserver/backend-client.ts";
import { kindByName } from "../../../src/kinds/kind-table.ts";
import { clientFor } from "../../helpers/backend-harness.ts";
import { listKind } from "../../helpers/rpc-helpers.ts";
import { about, backend, eventually, hub, makeSample, openWatch, params, rv, rvOf, useCleanup } from "./watch-kit.ts";

useCleanup();

const kind = kindByName("AddressGroup")!;
const LAGGING = 8;

test("lagging clients with the same selectors share one backend catch-up stream, and each gets every event after its position once", async () => {
  const b = await backend({ bookmarkIntervalMs: 200 });
  const client = clientFor(b.url);
  const h = hub(createBackendClient(b.url), "streaming");
  await makeSample(client, kind, 1);
  const listed = String((await listKind(client, kind)).resourceVersion);
  // after the list, before the cache exists: only a catch-up can deliver these
  const made = [await makeSample(client, kind, 2), await makeSample(client, kind, 3), await makeSample(client, kind, 4)];
  const names = made.map((o) => o.metadata.name);
  const lagging = Array.from({ length: LAGGING }, () => openWatch(h, params(kind, { resourceVersion: listed })));
  const selected = openWatch(h, params(kind, { resourceVersion: listed, labelSelector: "nothing-has=this" }));
  for (const w of lagging) await w.until((es) => about(es, ...names).length === names.length, 8000, "the catch-up events");
  const stats = h.stats()[kind.kind]!;
  expect(stats.catchUps).toBe(LAGGING + 1);
  // one stream for the eight unfiltered clients, one for the client with its own selector
  expect(stats.catchUpStreams).toBe(2);
  for (const w of lagging) expect(w.events.filter((e) => e.type !== "BOOKMARK").map(rvOf)).toEqual(made.map(rv));
  // then live, from the cache
  const later = await makeSample(client, kind, 5);
  for (const w of lagging) await w.until((es) => about(es, later.metadata.name).length === 1, 8000, "the live event");
  expect(selected.events.filter((e) => e.type !== "BOOKMARK")).toEqual([]);
  await eventually(() => b.activeWatches.get(kind.kind) === 1, 5000, "the catch-up streams closed");
});
