/**
 * A watcher's view of the cache's events: namespace, label and field selectors with Kubernetes
 * enter/leave semantics (src/watch-log/visible-change.ts) — an object relabelled into the selector
 * arrives as ADDED, one relabelled out of it as DELETED. Built from the request's parsed filter;
 * per event it costs a few map lookups.
 */
import type { KubeObject } from "../../kinds/model.ts";
import { ALL_LABELS, filterAccepts, type ObjectFilter } from "../../kinds/selectors.ts";
import { visibleType } from "../../watch-log/mod.ts";
import type { CacheEvent, ChangeType } from "./cache-event.ts";

export interface WatchFilter {
  /** Nothing is filtered out. */
  readonly everything: boolean;
  /**
   * True for filters that are shared objects (one for no selector, one per namespace): watchers
   * holding the same such filter see the same events with the same types, so at the same position
   * they share one coalesced chunk per flush (shared-chunks.ts looks chunks up by the filter object).
   * False for filters that do not share (label and field selectors).
   */
  readonly shareable: boolean;
  accepts(obj: KubeObject): boolean;
  /** The event type this watcher sees for `ev`, or undefined when the event is not for it. */
  typeFor(ev: CacheEvent): ChangeType | undefined;
}

/** The watch view of a parsed request filter (parseRequestFilter in src/kinds/selectors.ts). */
export function createWatchFilter(f: ObjectFilter): WatchFilter {
  if (f.everything) return EVERYTHING;
  // A namespace alone (kubectl's and most informers' watch) needs only the namespace string.
  if (f.labels === ALL_LABELS && f.fields.length === 0) return namespaceFilter(f.namespace);
  return new ObjectWatchFilter(f);
}

/**
 * Namespace filters kept for sharing: the watchers of one namespace hold one filter (and one copy
 * of its name) between them, not one each. Bounded: only names a namespace can have (a DNS label,
 * at most 63 characters) are kept, and past this many namespaces the set starts over (filters are
 * immutable, so watchers holding a dropped one are unaffected; they only stop sharing chunks with
 * watchers that got the new one, since chunks are shared by filter object).
 */
export const MAX_SHARED_NAMESPACE_FILTERS = 1024;
const MAX_NAMESPACE_LENGTH = 63;
const namespaceFilters = new Map<string, NamespaceWatchFilter>();

function namespaceFilter(namespace: string): NamespaceWatchFilter {
  let f = namespaceFilters.get(namespace);
  if (f) return f;
  if (namespace.length > MAX_NAMESPACE_LENGTH) return new NamespaceWatchFilter(namespace);
  if (namespaceFilters.size >= MAX_SHARED_NAMESPACE_FILTERS) namespaceFilters.clear();
  namespaceFilters.set(namespace, (f = new NamespaceWatchFilter(namespace)));
  return f;
}

/** No selector at all: one filter shared by every such watcher. */
const EVERYTHING: WatchFilter = {
  everything: true,
  shareable: true,
  accepts: () => true,
  typeFor: (ev) => ev.type,
};

/** Objects of one namespace: a MODIFIED event never moves an object into or out of it. */
class NamespaceWatchFilter implements WatchFilter {
  readonly everything = false;
  constructor(private readonly namespace: string) {}
  readonly shareable = true;
  accepts(obj: KubeObject): boolean {
    return obj.metadata.namespace === this.namespace;
  }
  typeFor(ev: CacheEvent): ChangeType | undefined {
    return ev.namespace === this.namespace ? ev.type : undefined;
  }
}

/** One object per watcher with shared methods: an idle watcher's filter holds no closures. */
class ObjectWatchFilter implements WatchFilter {
  readonly everything: boolean;
  readonly shareable = false;
  constructor(private readonly f: ObjectFilter) {
    this.everything = f.everything;
  }
  accepts(obj: KubeObject): boolean {
    return filterAccepts(this.f, obj.metadata.namespace, obj.metadata.name, obj.metadata.labels);
  }
  typeFor(ev: CacheEvent): ChangeType | undefined {
    return visibleType(this.f, ev);
  }
}
