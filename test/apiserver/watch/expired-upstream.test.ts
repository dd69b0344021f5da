/**
 * When the hub's upstream position expires in the backend (its stream was down while the backend
 * trimmed its log), the stream source relists and publishes the differences; pollers diff anyway.
 * Clients keep their stream and converge without a gap, in every mode and for every kind.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { WatchHubWithStats } from "../../../src/apiserver/watch/watch-hub.ts";
import type { Backend } from "../../../src/backend/backend.ts";
import { KINDS } from "../../../src/kinds/kind-table.ts";
import { clientFor } from "../../helpers/backend-harness.ts";
import { listKind, relabel, updateObj } from "../../helpers/rpc-helpers.ts";
import { about, backend, deleteSample, eventually, faultyClient, hub, makeSample, MODES, nameOf, openWatch, params, rv, rvOf, useCleanup, type FaultyClient, type NgClient } from "./watch-kit.ts";

useCleanup();

describe.each(MODES.map((m) => [m]))("%s mode", (mode) => {
  let b: Backend;
  let client: NgClient;
  let faulty: FaultyClient;
  let h: WatchHubWithStats;
  beforeAll(async () => {
    b = await backend({ retention: { maxEvents: 1, maxAgeMs: 0 }, ringCapacity: 1 }, false);
    client = clientFor(b.url);
    faulty = faultyClient(b.url);
    h = hub(faulty.client, mode, { maxStreamFailures: 1_000_000 }, false);
  });
  afterAll(async () => {
    await h.close();
    await b.close();
  });

  test.each(KINDS.map((k) => [k.kind, k] as const))(
    "%s: after the upstream position expired, clients get ADDED/MODIFIED/DELETED for the differences and stay consistent",
    async (_n, kind) => {
      const a = await makeSample(client, kind, 1);
      const c = await makeSample(client, kind, 2);
      const w = openWatch(h, params(kind, { resourceVersion: "0" }));
      const ranged = openWatch(h, params(kind, { labelSelector: "rev" }));
      await w.until((es) => about(es, a.metadata.name, c.metadata.name).length === 2, 8000, "a and c");
      const initialCount = w.events.length;
      const before = { ...h.stats()[kind.kind]! };

      faulty.hold();
      faulty.cut();
      const c2 = await updateObj(client, relabel(c, "2"));
      const gone = await deleteSample(client, kind, a);
      const d = await makeSample(client, kind, 3);
      await b.engine.trimNow();
      expect(b.engine.floorRv).toBeGreaterThan(rv(c)); // the hub's position is gone from the backend's log
      faulty.release();

      await w.until((es) => about(es, d.metadata.name).length === 1 && about(es, a.metadata.name).length === 2, 8000, "the differences");
      expect(about(w.events, a.metadata.name).map((e) => e.type)).toEqual(["ADDED", "DELETED"]);
      expect(about(w.events, c.metadata.name).map((e) => [e.type, rvOf(e)])).toEqual([
        ["ADDED", rv(c)],
        ["MODIFIED", rv(c2)],
      ]);
      expect(about(w.events, d.metadata.name).map((e) => [e.type, rvOf(e)])).toEqual([["ADDED", rv(d)]]);
      expect(rvOf(about(w.events, a.metadata.name)[1]!)).toBeGreaterThanOrEqual(rv(gone));
      expect(w.done).toBe(false);
      // the label-filtered client sees c enter its selection
      await ranged.until((es) => about(es, c.metadata.name).length === 1, 8000, "c entering rev");
      expect(about(ranged.events, c.metadata.name)[0]!.type).toBe("ADDED");

      // the stream continues with live events afterwards
      const e = await makeSample(client, kind, 4);
      await w.until((es) => about(es, e.metadata.name).length === 1, 8000, "live e");
      const rvs = w.events.slice(initialCount).map(rvOf);
      expect([...rvs].sort((x, y) => x - y)).toEqual(rvs);
      const after = h.stats()[kind.kind]!;
      if (mode === "polling") expect(after.relists).toBe(0);
      else {
        expect(after.relists).toBeGreaterThan(before.relists);
        expect(h.sourceModes()[kind.kind]).toBe("streaming");
      }
      // the state converged: a "0" watch now starts from exactly the backend's objects
      const current = (await listKind(client, kind)).items.map((o) => o.metadata.name).sort();
      const fresh = openWatch(h, params(kind, { resourceVersion: "0" }));
      await eventually(() => fresh.events.length >= current.length, 8000, "the fresh initial state");
      await Bun.sleep(50);
      expect(fresh.events.map(nameOf).sort()).toEqual(current);
    },
  );
});

test("a client positioned inside the range a relist replaced is told to relist (410), the others continue", async () => {
  const b = await backend({ retention: { maxEvents: 1, maxAgeMs: 0 }, ringCapacity: 1 });
  const client = clientFor(b.url);
  const faulty = faultyClient(b.url);
  const kind = KINDS[0]!;
  const h = hub(faulty.client, "streaming");
  const a = await makeSample(client, kind, 1);
  const w = openWatch(h, params(kind, { resourceVersion: "0" }));
  await w.until((es) => about(es, a.metadata.name).length === 1, 8000, "a");
  faulty.hold();
  faulty.cut();
  const x = await makeSample(client, kind, 2);
  // listed while the hub's stream is down: ahead of the cache, so the watch waits for the cache to
  // reach it; the cache gets there by a relist, which leaves the position inside the relist's gap,
  // and the backend's log no longer reaches back to it either
  const list = await listKind(client, kind);
  const ahead = openWatch(h, params(kind, { resourceVersion: String(list.resourceVersion) }));
  const y = await makeSample(client, kind, 3);
  const z = await makeSample(client, kind, 4);
  await b.engine.trimNow();
  expect(b.engine.floorRv).toBeGreaterThan(Number(list.resourceVersion));
  faulty.release();
  const events = await ahead.finished();
  expect(events.map((e) => e.type)).toEqual(["ERROR"]);
  expect(events[0]!.object).toMatchObject({ reason: "Expired", code: 410 });
  await w.until((es) => about(es, x.metadata.name, y.metadata.name, z.metadata.name).length === 3, 8000, "x, y and z");
  expect(w.done).toBe(false);
});
