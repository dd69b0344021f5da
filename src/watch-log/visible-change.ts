/**
 * Enter/leave semantics of a filtered watch, as Kubernetes defines them: an object relabelled into
 * the selection arrives as ADDED, one relabelled out of it as DELETED. The backend's Watch stream
 * (src/backend/engine/watch-stream.ts) and the API server's watch filter
 * (src/apiserver/watch/event-filter.ts) both ask this one function.
 */
import { filterAccepts, type ObjectFilter } from "../kinds/selectors.ts";
import type { ChangeType, LoggedChange } from "./change.ts";

/** The change type a watcher with `filter` sees for `ev`, or undefined when `ev` is not for it. */
export function visibleType(filter: ObjectFilter, ev: LoggedChange): ChangeType | undefined {
  if (filter.everything) return ev.type;
  const now = filterAccepts(filter, ev.namespace, ev.name, ev.object.metadata.labels);
  if (ev.type !== "MODIFIED") return now ? ev.type : undefined;
  const before = filterAccepts(filter, ev.namespace, ev.name, ev.prevLabels);
  if (now && before) return "MODIFIED";
  if (now) return "ADDED";
  if (before) return "DELETED";
  return undefined;
}
