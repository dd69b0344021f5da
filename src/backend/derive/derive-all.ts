/**
 * `deriveAll(state)`: the state as it should be — every derived object and field recomputed from
 * the inputs alone, without the incremental target selection of the write path. Tests compare it
 * with the engine's state after every write: any dependency the incremental step misses shows up
 * as a difference. It is pure: `state` is copied, never changed.
 *
 * What it keeps from `state` besides the inputs: metadata of derived objects that already exist
 * (uid, creationTimestamp), `lastTransitionTime` of conditions whose status is unchanged, labels
 * and foreign conditions — exactly what the write path keeps.
 */
import { KINDS } from "../../kinds/kind-table.ts";
import { objectKey, type KubeObject } from "../../kinds/model.ts";
import type { StateView } from "../../domain/mod.ts";
import { createDeriveStep } from "./derive-step.ts";

/** kind → "namespace/name" → object. */
export type ObjectsByKind = Map<string, Map<string, KubeObject>>;

/** A copy of `state` as plain maps. */
export function snapshotState(state: StateView): ObjectsByKind {
  const out: ObjectsByKind = new Map();
  for (const k of KINDS) {
    const m = new Map<string, KubeObject>();
    for (const o of state.list(k.kind)) m.set(objectKey(o.metadata.namespace, o.metadata.name), structuredClone(o));
    out.set(k.kind, m);
  }
  return out;
}

/** A StateView over maps. */
export function mapStateView(objects: ObjectsByKind): StateView {
  return {
    get: (kind, ns, name) => objects.get(kind)?.get(objectKey(ns, name)),
    list: (kind) => objects.get(kind)?.values() ?? [],
  };
}

let uidSeq = 0;

/** The expected full state for `state` (new derived objects get placeholder uids and `now`). */
export function deriveAll(state: StateView, now: Date = new Date()): ObjectsByKind {
  const objects = snapshotState(state);
  createDeriveStep().reconcile({
    state: mapStateView(objects),
    now,
    newUid: () => `derived-${++uidSeq}`,
    write(kind, type, obj) {
      const m = objects.get(kind.kind)!;
      const key = objectKey(obj.metadata.namespace, obj.metadata.name);
      if (type === "DELETED") m.delete(key);
      else m.set(key, obj);
    },
  });
  return objects;
}
