/**
 * New references to a Terminating object are refused, as Kubernetes' admission refuses a new Pod
 * that mounts a PersistentVolumeClaim being deleted: the object is waiting for its last user to go
 * away, and each new user would postpone that indefinitely. References the object already had
 * (an update that keeps them, e.g. a relabel) stay allowed. Driven by the kind table's `refs`.
 */
import { isTerminating } from "../finalizers.ts";
import type { KindDescriptor } from "../kind-table.ts";
import type { KubeObject } from "../model.ts";
import { violation, type FieldViolation } from "../violations.ts";
import { allRefs, refIdentity, refKey } from "../../domain/references.ts";
import type { StateView } from "../../domain/state-view.ts";

/** One Forbidden violation per reference of `obj`, not already in `old`, to a Terminating object. */
export function validateNoNewRefsToTerminating(kind: KindDescriptor, obj: KubeObject, old: KubeObject | undefined, state: StateView): FieldViolation[] {
  const existing = new Set(old ? allRefs(old, kind.refs).map((r) => `${r.targetKind} ${refKey(r.value) ?? ""}`) : []);
  const out: FieldViolation[] = [];
  for (const ref of allRefs(obj, kind.refs)) {
    const id = refIdentity(ref.value);
    if (!id || existing.has(`${ref.targetKind} ${refKey(ref.value)}`)) continue;
    const target = state.get(ref.targetKind, id.namespace, id.name);
    if (target && isTerminating(target)) {
      out.push(violation.forbidden(ref.field, `${ref.targetKind} "${id.namespace}/${id.name}" is being deleted: new references to it are refused`));
    }
  }
  return out;
}
