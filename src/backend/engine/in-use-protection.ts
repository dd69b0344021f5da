/**
 * In-use protection: deletes that always succeed in the end, in any order, without dangling
 * references — Kubernetes' pvc-protection pattern, generic over the kinds.
 *
 * - A delete of an object that others still use (the kind's `usedBy` rules) or that carries
 *   finalizers is accepted as a mark: `metadata.deletionTimestamp` is set (generation grows once,
 *   as kube-apiserver's markAsDeleting does) and, while it is in use, the server's finalizer
 *   {@link IN_USE_PROTECTION_FINALIZER} is added. The object is then Terminating.
 * - After every batch's own writes, and in the same transaction, each Terminating object that is no
 *   longer in use loses that finalizer, and an object left without finalizers is deleted — each a
 *   change with its own resourceVersion and event. Releases chain (a binding's delete frees its
 *   Service, whose delete frees its AddressGroup) until nothing more changes.
 *
 * The engine keeps the keys of committed Terminating objects here, so a write that frees nothing
 * costs one look at a (usually empty) set.
 */
import { finalizersOf, IN_USE_PROTECTION_FINALIZER, isTerminating } from "../../kinds/finalizers.ts";
import { KINDS, kindByName, type KindDescriptor } from "../../kinds/kind-table.ts";
import { formatTime } from "../../kinds/convert.ts";
import { cloneJson, type KubeObject } from "../../kinds/model.ts";
import { inUseBy } from "../../kinds/validation/index.ts";
import type { ChangeType } from "../../watch-log/mod.ts";
import type { StateView } from "../../domain/mod.ts";
import type { DeriveSink } from "../derive/derive-step.ts";

/** One object of a write batch or of the committed state. */
export interface ObjectChange {
  kind: string;
  type: ChangeType;
  object: KubeObject;
}

export interface InUseProtection {
  /** Records committed changes (and, at start, the loaded objects as ADDED). */
  track(changes: Iterable<ObjectChange>): void;
  /**
   * Removes the protection finalizer from every Terminating object (committed or marked in this
   * batch, `pending`) that nothing uses any more, and deletes those left without finalizers.
   */
  release(sink: DeriveSink, pending: Iterable<ObjectChange>): void;
}

const KIND_ORDER = new Map(KINDS.map((k, i) => [k.kind, i]));
const idOf = (kind: string, o: KubeObject) => `${kind}\u0000${o.metadata.namespace}/${o.metadata.name}`;

/**
 * The object a delete leaves behind, or undefined when it may go at once (no use, no finalizer).
 * A repeated delete of a Terminating object changes nothing but a missing protection finalizer.
 */
export function markForDeletion(kind: KindDescriptor, old: KubeObject, state: StateView, now: Date): KubeObject | undefined {
  const finalizers = finalizersOf(old);
  if (!finalizers.includes(IN_USE_PROTECTION_FINALIZER) && inUseBy(kind, old, state).length > 0) finalizers.push(IN_USE_PROTECTION_FINALIZER);
  if (finalizers.length === 0) return undefined;
  const next = cloneJson(old);
  next.metadata.finalizers = finalizers;
  if (!isTerminating(old)) {
    next.metadata.deletionTimestamp = formatTime(now);
    if ((old.metadata.generation ?? 0) > 0) next.metadata.generation = old.metadata.generation! + 1;
  }
  return next;
}

/**
 * Whether an updated object is due to go now: it is Terminating and its last finalizer was
 * removed. An object that is still in use is kept (the protection finalizer is put back on `obj`)
 * so no write can make a used object vanish.
 */
export function dueForRemoval(kind: KindDescriptor, obj: KubeObject, state: StateView): boolean {
  if (!isTerminating(obj) || finalizersOf(obj).length > 0) return false;
  if (inUseBy(kind, obj, state).length === 0) return true;
  obj.metadata.finalizers = [IN_USE_PROTECTION_FINALIZER];
  return false;
}

/** Creates the engine's tracker of Terminating objects. */
export function createInUseProtection(): InUseProtection {
  const terminating = new Map<string, { kind: string; namespace: string; name: string }>();
  return {
    track(changes) {
      for (const c of changes) {
        const id = idOf(c.kind, c.object);
        if (c.type !== "DELETED" && isTerminating(c.object)) {
          terminating.set(id, { kind: c.kind, namespace: c.object.metadata.namespace, name: c.object.metadata.name });
        } else terminating.delete(id);
      }
    },
    release(sink, pending) {
      const candidates = new Map(terminating);
      for (const c of pending) {
        if (c.type !== "DELETED" && isTerminating(c.object)) {
          candidates.set(idOf(c.kind, c.object), { kind: c.kind, namespace: c.object.metadata.namespace, name: c.object.metadata.name });
        }
      }
      if (candidates.size === 0) return;
      const order = [...candidates.entries()]
        .sort(([a, x], [b, y]) => (KIND_ORDER.get(x.kind)! - KIND_ORDER.get(y.kind)!) || (a < b ? -1 : a > b ? 1 : 0))
        .map(([, c]) => c);
      for (let progressed = true; progressed; ) {
        progressed = false;
        for (const c of order) {
          const obj = sink.state.get(c.kind, c.namespace, c.name);
          if (!obj || !isTerminating(obj) || !finalizersOf(obj).includes(IN_USE_PROTECTION_FINALIZER)) continue;
          const kind = kindByName(c.kind)!;
          if (inUseBy(kind, obj, sink.state).length > 0) continue;
          const next = cloneJson(obj);
          const rest = finalizersOf(obj).filter((f) => f !== IN_USE_PROTECTION_FINALIZER);
          if (rest.length > 0) {
            next.metadata.finalizers = rest;
            sink.write(kind, "MODIFIED", next, obj.metadata.labels ?? {});
          } else {
            delete next.metadata.finalizers;
            sink.write(kind, "DELETED", next);
          }
          progressed = true;
        }
      }
    },
  };
}
