/**
 * The watch filters (src/apiserver/watch/event-filter.ts): the compact namespace-only and
 * no-selector filters that idle watchers keep give exactly the event types and acceptance of the
 * general selector filter (src/watch-log/visible-change.ts) for the same request.
 */
import { expect, test } from "bun:test";
import type { CacheEvent } from "../../../src/apiserver/watch/cache-event.ts";
import { createWatchFilter } from "../../../src/apiserver/watch/event-filter.ts";
import type { KubeObject } from "../../../src/kinds/model.ts";
import { createObjectFilter, filterAccepts } from "../../../src/kinds/selectors.ts";
import { visibleType } from "../../../src/watch-log/mod.ts";

function event(type: CacheEvent["type"], namespace: string, labels?: Record<string, string>, prevLabels?: Record<string, string>): CacheEvent {
  const object = { apiVersion: "v1", kind: "Service", metadata: { name: "a", namespace, labels } } as unknown as KubeObject;
  return { rv: 1, type, namespace, name: "a", object, prevLabels } as unknown as CacheEvent;
}

const events = [
  event("ADDED", "team-a"),
  event("MODIFIED", "team-a", { tier: "web" }, { tier: "db" }),
  event("DELETED", "team-a"),
  event("ADDED", "team-b"),
  event("MODIFIED", "team-b", { tier: "web" }),
  event("DELETED", "team-b"),
];

for (const [namespace, labels] of [["team-a", ""], ["", ""], ["team-a", "tier=web"], ["", "tier=web"]] as const) {
  test(`a watch filter for namespace "${namespace}" and labels "${labels}" sees what the selector filter sees`, () => {
    const selector = createObjectFilter(namespace, labels, "");
    const filter = createWatchFilter(selector);
    expect(filter.everything).toBe(selector.everything);
    for (const ev of events) {
      expect(filter.typeFor(ev)).toBe(visibleType(selector, ev));
      expect(filter.accepts(ev.object as KubeObject)).toBe(filterAccepts(selector, ev.namespace, ev.name, ev.object.metadata.labels));
    }
  });
}
