/**
 * "At most one object of this kind per X" rules (one binding per Service/AddressGroup pair, one
 * policy per pair, one RuleS2S per traffic/local/target triple). Each kind supplies the key that
 * must be unique; the object being written is excluded so that updates do not collide with their own
 * stored version.
 */
import type { KindDescriptor } from "../kind-table.ts";
import { violation, type FieldViolation } from "../violations.ts";
import type { KubeObject } from "../model.ts";
import { isSameObject, keyOfObject } from "../../domain/object-identity.ts";
import { findBy, singleKeyIndex } from "../../domain/state-lookup.ts";
import type { IndexSpec, StateView } from "../../domain/state-view.ts";

/** How a kind defines duplicates. */
export interface UniquenessRule {
  /** Field reported on a duplicate. */
  field: string;
  /** The key that must be unique; undefined when the object is too malformed to have one. */
  key(obj: unknown): string | undefined;
  /** What the key means, for the message: "the same Service and AddressGroup". */
  describe: string;
}

/** Each rule's index (a kind has at most one uniqueness rule, so one name serves all kinds). */
const indexes = new WeakMap<UniquenessRule, IndexSpec>();
function uniqueIndex(rule: UniquenessRule): IndexSpec {
  let spec = indexes.get(rule);
  if (!spec) indexes.set(rule, (spec = singleKeyIndex("unique", (o) => rule.key(o))));
  return spec;
}

/** FieldValueDuplicate when another object of the same kind has the same key (an index lookup). */
export function validateUnique(kind: KindDescriptor, rule: UniquenessRule, obj: unknown, state: StateView): FieldViolation[] {
  const key = rule.key(obj);
  if (key === undefined) return [];
  for (const other of findBy(state, kind.kind, uniqueIndex(rule), key) as KubeObject[]) {
    if (!isSameObject(obj, other) && rule.key(other) === key) {
      return [violation.duplicate(rule.field, `${kind.kind} "${keyOfObject(other) ?? "?"}" already exists for ${rule.describe}`)];
    }
  }
  return [];
}
