/**
 * A progress BOOKMARK from the API server promises "you have every event up to this version": it
 * is sent only once the watcher has caught up. With more events pending than one chunk carries
 * (256), a bookmark sent early would carry a version ahead of undelivered events, and a client
 * resuming from it would skip them.
 */
import { describe, expect, test } from "bun:test";
import { createBackendClient } from "../../../src/apiserver/backend-client.ts";
import { kindByName } from "../../../src/kinds/kind-table.ts";
import { SyncOp } from "../../../src/gen/netguard/v1/service_pb.ts";
import { clientFor } from "../../helpers/backend-harness.ts";
import { sample } from "../../helpers/fixtures.ts";
import { syncReq } from "../../rpc/rpc-kit.ts";
import { backend, hub, nameOf, openWatch, params, rvOf, useCleanup } from "./watch-kit.ts";

useCleanup();
const Service = kindByName("Service")!;
const COUNT = 700; // well over one chunk (256 events)

describe("progress bookmarks through the API server", () => {
  test("never carry a version ahead of an event not yet delivered", async () => {
    const b = await backend();
    const client = clientFor(b.url);
    const h = hub(createBackendClient(b.url), "streaming", { bookmarkIntervalMs: 20 });
    const w = openWatch(h, params(Service, { resourceVersion: "0", allowBookmarks: true }), { paused: true });
    await Bun.sleep(100); // the watch is registered (and idle): the batch below is all pending
    const objs = Array.from({ length: COUNT }, (_, i) => sample("Service", i + 1).object);
    await client.sync(syncReq(SyncOp.Upsert, Service, objs));
    await Bun.sleep(200); // several bookmark intervals pass while the client is not reading
    w.resume();
    const names = new Set(objs.map((o) => o.metadata.name));
    await w.until((es) => es.filter((e) => e.type === "ADDED" && names.has(nameOf(e))).length === COUNT, 15000, "every event");

    const events = w.events;
    for (const [i, e] of events.entries()) {
      if (e.type !== "BOOKMARK") continue;
      const skipped = events.slice(i + 1).filter((later) => later.type !== "BOOKMARK" && rvOf(later) <= rvOf(e));
      expect(skipped.length).toBe(0);
    }
  });
});
