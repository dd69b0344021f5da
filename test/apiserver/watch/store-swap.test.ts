/**
 * The backend comes back on a different, EMPTY store (same port): the API server must notice that
 * its cached resourceVersion is newer than the backend's (410 from the backend), relist, and stop
 * serving the old store's objects through watches, while the new store's objects appear.
 */
import { describe, expect, test } from "bun:test";
import { createBackendClient } from "../../../src/apiserver/backend-client.ts";
import { createMemoryPersistence } from "../../../src/backend/store/memory-persistence.ts";
import { kindByName } from "../../../src/kinds/kind-table.ts";
import { clientFor } from "../../helpers/backend-harness.ts";
import { backend, eventually, hub, makeSample, MODES, nameOf, openWatch, params, useCleanup } from "./watch-kit.ts";

useCleanup();
const Service = kindByName("Service")!;

describe("store swap", () => {
  test.each(MODES.filter((m) => m !== "polling").map((m) => [m]))("%s mode: after the backend restarts on an empty store, the old objects are gone", async (mode) => {
    const b1 = await backend({ persistence: createMemoryPersistence() }, false);
    const port = b1.server.port;
    const c1 = clientFor(b1.url);
    const old = [await makeSample(c1, Service, 1), await makeSample(c1, Service, 2), await makeSample(c1, Service, 3)];
    const h = hub(createBackendClient(b1.url), mode);
    const before = openWatch(h, params(Service, { resourceVersion: "0" }));
    await before.until((es) => old.every((o) => es.some((e) => nameOf(e) === o.metadata.name)), 8000, "store A's objects");

    await b1.close();
    const b2 = await backend({ port, persistence: createMemoryPersistence() });
    expect(b2.engine.currentRv).toBe(0);
    // fewer versions than store A had: resuming from A's version would skip it
    const fresh = await makeSample(clientFor(b2.url), Service, 4);
    expect(Number(fresh.metadata.resourceVersion)).toBeLessThan(Number(old.at(-1)!.metadata.resourceVersion));

    // a new watch from "0" (the API server's list from its cache) shows store B, not store A
    let names: string[] = [];
    for (let i = 0; i < 40 && !names.includes(fresh.metadata.name); i++) {
      const w = openWatch(h, params(Service, { resourceVersion: "0" }));
      await Bun.sleep(250);
      names = w.events.filter((e) => e.type === "ADDED").map(nameOf);
      w.stop();
    }
    expect(names).toEqual([fresh.metadata.name]);
    // the watch opened on store A did not go on as if nothing happened: it ended (410) or heard the
    // old objects go away
    const gone = (n: string) => before.events.some((e) => e.type === "DELETED" && nameOf(e) === n);
    await eventually(() => before.done || old.every((o) => gone(o.metadata.name)), 8000, "old watch ended or told");
  });
});
