/**
 * What a client write may do with `metadata.finalizers`, for every kind alike. Kubernetes lets no
 * one add a finalizer to an object that is being deleted (it could then live forever). The
 * server's in-use-protection finalizer is the server's alone: a client may not add it (only a
 * delete that finds the object in use does), and may not remove it while the object is still in
 * use — unlike pvc-protection, whose finalizer an admin can strip and so delete a PVC a pod still
 * mounts, netguard refuses, because a vanished object would leave its users dangling.
 */
import { finalizersOf, IN_USE_PROTECTION_FINALIZER, isTerminating } from "../finalizers.ts";
import type { KindDescriptor } from "../kind-table.ts";
import type { KubeObject } from "../model.ts";
import { violation, type FieldViolation } from "../violations.ts";
import type { StateView } from "../../domain/state-view.ts";

const FIELD = "metadata.finalizers";

/** Violations of the finalizer rules by a create (`old` undefined) or an update of `obj`. */
export function validateFinalizerChanges(kind: KindDescriptor, obj: KubeObject, old: KubeObject | undefined, state: StateView): FieldViolation[] {
  const before = new Set(finalizersOf(old));
  const after = new Set(finalizersOf(obj));
  const added = [...after].filter((f) => !before.has(f));
  const out: FieldViolation[] = [];
  if (added.includes(IN_USE_PROTECTION_FINALIZER)) {
    out.push(violation.forbidden(FIELD, `${IN_USE_PROTECTION_FINALIZER} is managed by the server: a delete adds it while the object is in use`));
  }
  if (old && isTerminating(old) && added.length > 0) {
    out.push(violation.forbidden(FIELD, `no new finalizers can be added if the object is being deleted, found new finalizers ${JSON.stringify(added)}`));
  }
  if (old && before.has(IN_USE_PROTECTION_FINALIZER) && !after.has(IN_USE_PROTECTION_FINALIZER)) {
    const users = kind.rules.usedBy?.(old, state) ?? [];
    if (users.length > 0) {
      out.push(
        violation.forbidden(
          FIELD,
          `${IN_USE_PROTECTION_FINALIZER} is removed by the server together with the last use of the object; still in use: ${users.join("; ")}`,
        ),
      );
    }
  }
  return out;
}
