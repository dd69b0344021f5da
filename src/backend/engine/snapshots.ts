/**
 * Reads of the committed state: paged lists and watch snapshots. A snapshot hands back the matching
 * objects together with a cursor positioned exactly after them, so a watch that starts from it has
 * no gap and no overlap (both are taken between writes, which only change state under the lock).
 */
import type { KindDescriptor } from "../../kinds/kind-table.ts";
import type { KubeObject } from "../../kinds/model.ts";
import { filterAccepts, type ObjectFilter } from "../../kinds/selectors.ts";
import type { EventStore } from "../event-store/event-store.ts";
import type { ListRequest, ListResult, Snapshot } from "./engine-types.ts";
import type { ObjectIndex } from "./object-index.ts";
import { decodeContinue, encodeContinue, isAfter } from "./paging-token.ts";

/** One page of a kind's objects in namespace/name order, at resourceVersion `rv`. */
export function listObjects(index: ObjectIndex, rv: number, kind: KindDescriptor, req: ListRequest): ListResult {
  const ids = req.identifiers ?? [];
  const after = req.continueToken ? decodeContinue(req.continueToken) : undefined;
  const limit = req.limit && req.limit > 0 ? req.limit : Infinity;
  const items: KubeObject[] = [];
  let continueToken = "";
  for (const o of index.sorted(kind.kind)) {
    const { namespace, name } = o.metadata;
    if (after && !isAfter(o, after)) continue;
    if (ids.length && !ids.some((id) => id.namespace === namespace && (!id.name || id.name === name))) continue;
    if (req.filter && !filterAccepts(req.filter, namespace, name, o.metadata.labels)) continue;
    if (items.length >= limit) {
      continueToken = encodeContinue(items[items.length - 1]!);
      break;
    }
    items.push(o);
  }
  return { items, resourceVersion: rv, continueToken };
}

/** The matching objects at `rv` and a cursor that delivers exactly the events after them. */
export function takeSnapshot(index: ObjectIndex, events: EventStore, rv: number, kind: KindDescriptor, filter: ObjectFilter): Snapshot {
  const items = index.sorted(kind.kind).filter((o) => filterAccepts(filter, o.metadata.namespace, o.metadata.name, o.metadata.labels));
  return { items, rv, cursor: events.cursor(kind.kind, rv) };
}
