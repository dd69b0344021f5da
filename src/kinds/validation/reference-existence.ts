/**
 * Stateful check that every reference listed in the kind table's `refs` points at an existing
 * object of the expected kind. Malformed references are skipped here: `validateObject` already
 * reports them, and a lookup with a half-formed key would only add a confusing second error.
 */
import type { KindDescriptor } from "../kind-table.ts";
import { violation, type FieldViolation } from "../violations.ts";
import { allRefs, refIdentity } from "../../domain/references.ts";
import type { StateView } from "../../domain/state-view.ts";

/** One FieldValueNotFound per reference whose target does not exist in `state`. */
export function validateReferencesExist(kind: KindDescriptor, obj: unknown, state: StateView): FieldViolation[] {
  const out: FieldViolation[] = [];
  for (const ref of allRefs(obj, kind.refs)) {
    const id = refIdentity(ref.value);
    if (!id) continue;
    if (!state.get(ref.targetKind, id.namespace, id.name)) {
      out.push(violation.notFound(ref.field, `${ref.targetKind} "${id.namespace}/${id.name}" not found`));
    }
  }
  return out;
}
