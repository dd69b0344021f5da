/**
 * A watcher's view of the cache's events: namespace, label and field selectors with Kubernetes
 * enter/leave semantics (src/watch-log/visible-change.ts) — an object relabelled into the selector
 * arrives as ADDED, one relabelled out of it as DELETED. Built from the request's parsed filter;
 * per event it costs a few map lookups.
 */
import type { KubeObject } from "../../kinds/model.ts";
import { filterAccepts, type ObjectFilter } from "../../kinds/selectors.ts";
import { visibleType } from "../../watch-log/mod.ts";
import type { CacheEvent, ChangeType } from "./cache-event.ts";

export interface WatchFilter {
  /** Nothing is filtered out: watchers can share whole coalesced chunks. */
  readonly everything: boolean;
  accepts(obj: KubeObject): boolean;
  /** The event type this watcher sees for `ev`, or undefined when the event is not for it. */
  typeFor(ev: CacheEvent): ChangeType | undefined;
}

/** The watch view of a parsed request filter (parseRequestFilter in src/kinds/selectors.ts). */
export function createWatchFilter(f: ObjectFilter): WatchFilter {
  const accepts = (obj: KubeObject) => filterAccepts(f, obj.metadata.namespace, obj.metadata.name, obj.metadata.labels);
  return {
    everything: f.everything,
    accepts,
    typeFor: (ev) => visibleType(f, ev),
  };
}
