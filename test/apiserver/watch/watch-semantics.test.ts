/**
 * Kubernetes watch semantics of the hub, for every kind and in each source mode (streaming,
 * polling, auto), against a real backend: resume from a list resourceVersion, "0" with synthetic
 * ADDED, watch-list, bookmarks, Table events and selectors.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createBackendClient } from "../../../src/apiserver/backend-client.ts";
import { tableColumns } from "../../../src/apiserver/tables.ts";
import type { WatchHubWithStats } from "../../../src/apiserver/watch/watch-hub.ts";
import type { Backend } from "../../../src/backend/backend.ts";
import { KINDS } from "../../../src/kinds/kind-table.ts";
import { API_VERSION } from "../../../src/kinds/model.ts";
import { clientFor } from "../../helpers/backend-harness.ts";
import { listKind, relabel, updateObj } from "../../helpers/rpc-helpers.ts";
import { about, backend, deleteSample, hub, makeSample, MODES, nameOf, openWatch, params, rv, rvOf, useCleanup, type NgClient, type WireEvent } from "./watch-kit.ts";

useCleanup();

const brief = (es: WireEvent[]) => es.map((e) => [e.type, nameOf(e), rvOf(e)]);
const isInitialEnd = (e: WireEvent) => e.type === "BOOKMARK" && e.object?.metadata?.annotations?.["k8s.io/initial-events-end"] === "true";

describe.each(MODES.map((m) => [m]))("%s mode", (mode) => {
  let b: Backend;
  let client: NgClient;
  let h: WatchHubWithStats;
  beforeAll(async () => {
    b = await backend({}, false);
    client = clientFor(b.url);
    h = hub(createBackendClient(b.url), mode, { bookmarkIntervalMs: 150 }, false);
  });
  afterAll(async () => {
    await h.close();
    await b.close();
  });

  describe.each(KINDS.map((k) => [k.kind, k] as const))("%s", (_name, kind) => {
    test("a watch from a list resourceVersion gets exactly the later changes, in order", async () => {
      const warm = openWatch(h, params(kind, { sendInitialEvents: true, allowBookmarks: true }));
      await warm.until((es) => es.some(isInitialEnd), 8000, "a warm cache");
      const list = await listKind(client, kind);
      const x = await makeSample(client, kind, 101); // between the list and the watch
      const w = openWatch(h, params(kind, { resourceVersion: String(list.resourceVersion) }));
      await w.until((es) => about(es, x.metadata.name).length === 1, 8000, "x ADDED");
      const x2 = await updateObj(client, relabel(x, "2"));
      await w.until((es) => about(es, x.metadata.name).length === 2, 8000, "x MODIFIED");
      const y = await makeSample(client, kind, 102);
      await w.until((es) => about(es, y.metadata.name).length === 1, 8000, "y ADDED");
      expect(brief(about(w.events, x.metadata.name, y.metadata.name))).toEqual([
        ["ADDED", x.metadata.name, rv(x)],
        ["MODIFIED", x.metadata.name, rv(x2)],
        ["ADDED", y.metadata.name, rv(y)],
      ]);
      expect(w.events.every((e) => rvOf(e) > list.resourceVersion)).toBe(true);
      expect(w.events.some((e) => e.type === "BOOKMARK")).toBe(false);
    });

    test('resourceVersion "0" starts with a synthetic ADDED for every current object, then live changes', async () => {
      const a = await makeSample(client, kind, 201);
      const c = await makeSample(client, kind, 202);
      const current = (await listKind(client, kind)).items.map((o) => o.metadata.name);
      const w = openWatch(h, params(kind, { resourceVersion: "0" }));
      await w.until((es) => current.every((n) => es.some((e) => nameOf(e) === n)), 8000, "every current object");
      expect(w.events.slice(0, current.length).every((e) => e.type === "ADDED")).toBe(true);
      // in list order (namespace/name); a poller's state may lag a just-created object, which then follows
      if (mode !== "polling") expect(w.events.slice(0, current.length).map(nameOf)).toEqual(current);
      expect(new Set(w.events.map(nameOf)).size).toBe(w.events.length); // nothing twice
      const gone = await deleteSample(client, kind, a);
      await w.until((es) => about(es, a.metadata.name).some((e) => e.type === "DELETED"), 8000, "a DELETED");
      const seen = brief(about(w.events, a.metadata.name, c.metadata.name));
      // a poller learns of a delete at its next list: the event carries that list's resourceVersion
      const deletedAt = seen[2]?.[2] as number;
      if (mode === "polling") expect(deletedAt).toBeGreaterThanOrEqual(rv(gone));
      else expect(deletedAt).toBe(rv(gone));
      expect(seen).toEqual([
        ["ADDED", a.metadata.name, rv(a)],
        ["ADDED", c.metadata.name, rv(c)],
        ["DELETED", a.metadata.name, deletedAt],
      ]);
    });

    test("sendInitialEvents sends the current objects, then the initial-events-end BOOKMARK, then live changes", async () => {
      const a = await makeSample(client, kind, 301);
      const w = openWatch(h, params(kind, { sendInitialEvents: true, allowBookmarks: true }));
      await w.until((es) => es.some(isInitialEnd), 8000, "the initial-events-end bookmark");
      const end = w.events.findIndex(isInitialEnd);
      const marker = w.events[end]!;
      expect(marker.object).toEqual({
        apiVersion: API_VERSION,
        kind: kind.kind,
        metadata: { resourceVersion: marker.object.metadata.resourceVersion, annotations: { "k8s.io/initial-events-end": "true" } },
      });
      const markerRv = rvOf(marker);
      const initial = w.events.slice(0, end);
      expect(initial.every((e) => e.type === "ADDED" && rvOf(e) <= markerRv)).toBe(true);
      const c = await makeSample(client, kind, 302);
      await w.until((es) => about(es, c.metadata.name).length === 1, 8000, "c ADDED");
      // a arrives exactly once: in the initial state, or (when the cache had not seen it yet) right after
      expect(about(w.events, a.metadata.name).map((e) => e.type)).toEqual(["ADDED"]);
      const live = w.events.slice(end + 1).filter((e) => e.type !== "BOOKMARK");
      expect(live.every((e) => rvOf(e) > markerRv)).toBe(true);
      expect(about(live, c.metadata.name).map((e) => [e.type, rvOf(e)])).toEqual([["ADDED", rv(c)]]);
    });

    test("allowWatchBookmarks brings periodic BOOKMARKs carrying the newest resourceVersion", async () => {
      const w = openWatch(h, params(kind, { resourceVersion: "0", allowBookmarks: true }));
      const c = await makeSample(client, kind, 401);
      await w.until((es) => about(es, c.metadata.name).length === 1, 8000, "c ADDED");
      const seenAt = w.events.length;
      await w.until((es) => es.slice(seenAt).some((e) => e.type === "BOOKMARK"), 8000, "a bookmark after c");
      const bm = w.events.slice(seenAt).find((e) => e.type === "BOOKMARK")!;
      expect(bm.object).toEqual({ apiVersion: API_VERSION, kind: kind.kind, metadata: { resourceVersion: bm.object.metadata.resourceVersion } });
      expect(rvOf(bm)).toBeGreaterThanOrEqual(rv(c));
      const noBookmarks = openWatch(h, params(kind, { resourceVersion: "0" }));
      await Bun.sleep(400);
      expect(noBookmarks.events.some((e) => e.type === "BOOKMARK")).toBe(false);
    });

    test("Table watches get one-row Tables, with columnDefinitions in the first event only", async () => {
      const a = await makeSample(client, kind, 501);
      const w = openWatch(h, params(kind, { resourceVersion: "0", format: "table", includeObject: "Metadata" }));
      expect(w.response.headers.get("content-type")).toBe("application/json;as=Table;v=v1;g=meta.k8s.io");
      await w.until((es) => es.some((e) => nameOf(e) === a.metadata.name), 8000, "a");
      const c = await makeSample(client, kind, 502);
      await w.until((es) => about(es, c.metadata.name).length === 1, 8000, "c");
      await deleteSample(client, kind, c);
      await w.until((es) => about(es, c.metadata.name).length === 2, 8000, "c DELETED");
      for (const e of w.events) {
        expect(e.object.kind).toBe("Table");
        expect(e.object.apiVersion).toBe("meta.k8s.io/v1");
        expect(e.object.rows.length).toBe(1);
        expect(e.object.rows[0].object.kind).toBe("PartialObjectMetadata");
      }
      expect(w.events[0]!.object.columnDefinitions).toEqual(tableColumns(kind));
      expect(w.events.slice(1).every((e) => e.object.columnDefinitions === undefined)).toBe(true);
      expect(about(w.events, c.metadata.name).map((e) => e.type)).toEqual(["ADDED", "DELETED"]);
      // a stream resuming from a resourceVersion gets the columns with its own first event
      const list = await listKind(client, kind);
      const later = openWatch(h, params(kind, { resourceVersion: String(list.resourceVersion), format: "table", includeObject: "Object" }));
      const d = await makeSample(client, kind, 503);
      await later.until((es) => about(es, d.metadata.name).length === 1, 8000, "d");
      expect(later.events[0]!.object.columnDefinitions).toEqual(tableColumns(kind));
      expect(about(later.events, d.metadata.name)[0]!.object.rows[0].object.metadata.name).toBe(d.metadata.name);
      expect(about(later.events, d.metadata.name)[0]!.object.rows[0].object.kind).toBe(kind.kind);
    });

    test("selectors: relabelled into a label selection arrives as ADDED, out of it as DELETED; field and namespace selectors filter", async () => {
      const x = await makeSample(client, kind, 601);
      const ns = x.metadata.namespace;
      const byLabel = openWatch(h, params(kind, { resourceVersion: "0", labelSelector: "rev=in" }));
      const byName = openWatch(h, params(kind, { resourceVersion: "0", fieldSelector: `metadata.name=${x.metadata.name}` }));
      const elsewhere = openWatch(h, params(kind, { resourceVersion: "0", namespace: "elsewhere" }));
      await byName.until((es) => es.length === 1, 8000, "x in the name-filtered watch");
      const x1 = await updateObj(client, relabel(x, "in"));
      await byLabel.until((es) => about(es, x.metadata.name).length === 1, 8000, "x entering");
      const x2 = await updateObj(client, relabel(x1, "out"));
      await byLabel.until((es) => about(es, x.metadata.name).length === 2, 8000, "x leaving");
      const x3 = await updateObj(client, relabel(x2, "in"));
      await byLabel.until((es) => about(es, x.metadata.name).length === 3, 8000, "x back");
      await byName.until((es) => es.length === 4, 8000, "every change of x by name");
      expect(brief(about(byLabel.events, x.metadata.name))).toEqual([
        ["ADDED", x.metadata.name, rv(x1)],
        ["DELETED", x.metadata.name, rv(x2)],
        ["ADDED", x.metadata.name, rv(x3)],
      ]);
      expect(about(byLabel.events, x.metadata.name)[1]!.object.metadata.labels.rev).toBe("out");
      expect(byLabel.events.every((e) => e.object.metadata.labels?.rev === "in" || e.type === "DELETED")).toBe(true);
      expect(brief(byName.events)).toEqual([
        ["ADDED", x.metadata.name, rv(x)],
        ["MODIFIED", x.metadata.name, rv(x1)],
        ["MODIFIED", x.metadata.name, rv(x2)],
        ["MODIFIED", x.metadata.name, rv(x3)],
      ]);
      expect(elsewhere.events.filter((e) => e.object.metadata.namespace === ns)).toEqual([]);
    });
  });
});
