/**
 * What a watch log holds, as both sides see it: the backend's stored events
 * (src/backend/store/persistence.ts) and the API server's cache events
 * (src/apiserver/watch/cache-event.ts) are both an object change at a resourceVersion, so the
 * change-type union and the fields the enter/leave filter reads are written once, here.
 */

/** The kinds of object change a watch delivers (BOOKMARK and ERROR are stream items, not changes). */
export type ChangeType = "ADDED" | "MODIFIED" | "DELETED";

/** The fields of a logged change that positions and selector filtering need. */
export interface LoggedChange {
  readonly rv: number;
  readonly type: ChangeType;
  readonly namespace: string;
  readonly name: string;
  readonly object: { readonly metadata: { readonly labels?: Record<string, string> } };
  /** Labels before a MODIFIED change, so label-filtered watchers see objects enter and leave. */
  readonly prevLabels?: Record<string, string>;
}
