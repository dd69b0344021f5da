/**
 * A watcher's view of the cache's events: namespace, label and field selectors with Kubernetes
 * enter/leave semantics — an object relabelled into the selector arrives as ADDED, one relabelled
 * out of it as DELETED. Parsed once per watch; per event it costs a few map lookups.
 */
import type { KubeObject } from "../../kinds/model.ts";
import { createObjectFilter, filterAccepts, SelectorError, type ObjectFilter } from "../../kinds/selectors.ts";
import { visibleType } from "../../watch-log/mod.ts";
import { statusError } from "../status.ts";
import type { CacheEvent, ChangeType } from "./cache-event.ts";

export interface WatchFilter {
  /** Nothing is filtered out: watchers can share whole coalesced chunks. */
  readonly everything: boolean;
  accepts(obj: KubeObject): boolean;
  /** The event type this watcher sees for `ev`, or undefined when the event is not for it. */
  typeFor(ev: CacheEvent): ChangeType | undefined;
}

/** Throws a 400 StatusError for selectors that do not parse. */
export function createWatchFilter(namespace: string, labelSelector: string, fieldSelector: string): WatchFilter {
  let f: ObjectFilter;
  try {
    f = createObjectFilter(namespace, labelSelector, fieldSelector);
  } catch (e) {
    if (e instanceof SelectorError) throw statusError.badRequest(`${e.param}: ${e.message}`);
    throw e;
  }
  const accepts = (obj: KubeObject) => filterAccepts(f, obj.metadata.namespace, obj.metadata.name, obj.metadata.labels);
  return {
    everything: f.everything,
    accepts,
    typeFor: (ev) => visibleType(f, ev),
  };
}
