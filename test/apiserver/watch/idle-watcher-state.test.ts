/**
 * What an idle watcher keeps (src/apiserver/watch/watcher.ts, event-filter.ts): once live it no
 * longer holds its request's parameters, nor the parsed selector they carry; the watchers of one
 * namespace share one filter, and the set of shared filters stays bounded whatever namespaces
 * clients ask for.
 */
import { expect, test } from "bun:test";
import { createBackendClient } from "../../../src/apiserver/backend-client.ts";
import { createWatchFilter, MAX_SHARED_NAMESPACE_FILTERS } from "../../../src/apiserver/watch/event-filter.ts";
import type { WatchRequestParams } from "../../../src/apiserver/watch/watch-types.ts";
import { kindByName } from "../../../src/kinds/kind-table.ts";
import { createObjectFilter } from "../../../src/kinds/selectors.ts";
import { backend, eventually, hub, openWatch, params, useCleanup, type HubWatch } from "./watch-kit.ts";

useCleanup();

const kind = kindByName("AddressGroup")!;

test("a live watcher keeps neither its request's parameters nor the parsed selector they carry", async () => {
  const b = await backend();
  const h = hub(createBackendClient(b.url), "streaming");
  const refs: WeakRef<object>[] = [];
  // Built in a function of its own, so nothing in this test's scope holds them.
  const open = (): HubWatch => {
    const p: WatchRequestParams = params(kind, { namespace: "shop", resourceVersion: "", filter: createObjectFilter("shop", "", "") });
    refs.push(new WeakRef(p), new WeakRef(p.filter!));
    return openWatch(h, p);
  };
  const w = open();
  await eventually(() => h.stats()[kind.kind]?.activeWatchers === 1 && w.chunks.length > 0, 5000, "the watch");
  await Bun.sleep(100); // the empty initial state is sent: the watcher is live
  Bun.gc(true);
  await Bun.sleep(10);
  Bun.gc(true);
  expect(refs.map((r) => r.deref() === undefined)).toEqual([true, true]);
  expect(w.done).toBe(false);
});

test("watchers of one namespace share one filter; the shared set is bounded", () => {
  const ns = (name: string) => createWatchFilter(createObjectFilter(name, "", ""));
  expect(ns("shop")).toBe(ns("shop"));
  expect(ns("shop")).not.toBe(ns("infra"));
  // No namespace is longer than a DNS label: a longer name is served, not kept.
  const long = "n".repeat(64);
  expect(ns(long)).not.toBe(ns(long));
  expect(ns(long).typeFor({ namespace: long, type: "ADDED" } as never)).toBe("ADDED");
  // Past the bound the set starts over: a namespace asked for before gets a fresh filter.
  const first = ns("first");
  for (let i = 0; i < MAX_SHARED_NAMESPACE_FILTERS; i++) ns(`ns-${i}`);
  expect(ns("first")).not.toBe(first);
});
