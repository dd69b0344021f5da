/**
 * Bounds the Update owners of an object, as kube-apiserver does: beyond 10, the oldest are merged
 * into one `ancient-changes` owner per apiVersion. Each distinct `fieldManager` a client invents
 * would otherwise add an entry to the object forever.
 */
import { union } from "./field-set.ts";
import { ownerId, type Managed } from "./managed-fields.ts";

/** Kubernetes' DefaultMaxUpdateManagers. */
export const MAX_UPDATE_MANAGERS = 10;
const BUCKET = "ancient-changes";

const seconds = (t: string | undefined) => (t ? Math.floor(Date.parse(t) / 1000) : 0);

/** Merges the oldest Update owners of `managed` (in place) until at most `max` remain. */
export function capUpdateManagers(managed: Managed, max = MAX_UPDATE_MANAGERS): void {
  const updaters = [...managed.entries()].filter(([, o]) => o.operation === "Update");
  if (updaters.length <= max) return;
  updaters.sort(([ia, a], [ib, b]) => seconds(a.time) - seconds(b.time) || (ia < ib ? -1 : ia > ib ? 1 : 0));
  const firstOfVersion = new Map<string, string>();
  let length = updaters.length;
  for (const [id, owner] of updaters) {
    if (length <= max) break;
    const first = firstOfVersion.get(owner.apiVersion);
    if (first === undefined) {
      firstOfVersion.set(owner.apiVersion, id);
      continue;
    }
    const bucketId = ownerId({ manager: BUCKET, operation: "Update", apiVersion: owner.apiVersion, subresource: "" });
    let bucket = managed.get(bucketId);
    if (!bucket) {
      const seed = managed.get(first)!;
      managed.delete(first);
      bucket = { ...seed, manager: BUCKET, operation: "Update", subresource: "" };
      managed.set(bucketId, bucket);
    }
    managed.set(bucketId, { ...bucket, set: union(owner.set, bucket.set), time: owner.time });
    managed.delete(id);
    length--;
  }
}
