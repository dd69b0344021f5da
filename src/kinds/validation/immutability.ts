/**
 * Immutable fields from the kind table (`immutable`): on update they must equal the stored version.
 * Netguard freezes the identity-defining parts of bindings, policies, aliases and rules because the
 * backend derives other objects (port mappings, generated IEAgAgRules) from them and never re-keys.
 */
import type { KindDescriptor } from "../kind-table.ts";
import { jsonEqual } from "../model.ts";
import { violation, type FieldViolation } from "../violations.ts";
import { dotted } from "../../domain/field-path.ts";
import { readPath } from "../../domain/json-access.ts";

/** FieldValueInvalid "field is immutable" for every immutable path that differs from `old`. */
export function validateImmutable(kind: KindDescriptor, obj: unknown, old: unknown): FieldViolation[] {
  const out: FieldViolation[] = [];
  for (const path of kind.immutable) {
    if (!jsonEqual(readPath(obj, path), readPath(old, path))) out.push(violation.invalid(dotted(path), "field is immutable"));
  }
  return out;
}
