/**
 * Validation of netguard objects, shared by the backend engine (on every Sync write and delete) and
 * the API server (before forwarding a request), so both reject the same things with the same
 * Kubernetes-style field paths and messages.
 *
 * - `validateObject`: stateless, one object; safe on arbitrary JSON.
 * - `validateWrite`: stateful checks of a create or update against the current state.
 * - `deleteBlockers`: reasons upstream's Sync Delete must be refused.
 * - `inUseBy` / `deleteRefusals`: what holds an object in Terminating, and what no delete may pass.
 *
 * Generic checks are driven by the kind table (`refs`, `immutable`); per-kind rules live in one
 * `*-rules.ts` file per kind, held by the kind's descriptor (`kind.rules`).
 */
import type { KindDescriptor } from "../kind-table.ts";
import type { KubeObject } from "../model.ts";
import { violation, type FieldViolation } from "../violations.ts";
import { validateImmutable } from "./immutability.ts";
import { asRecord, specOf } from "../../domain/json-access.ts";
import { validateMetadata } from "./metadata-rules.ts";
import { validateFinalizerChanges } from "./finalizer-rules.ts";
import { validateReferencesExist } from "./reference-existence.ts";
import { validateNoNewRefsToTerminating } from "./reference-terminating.ts";
import { validateReferenceFields, validateSameNamespaceRefs } from "./reference-syntax.ts";
import { splitKey } from "../../domain/object-key.ts";
import { keyOfObject } from "../../domain/object-identity.ts";
import type { StateView } from "../../domain/state-view.ts";
import { validateUnique } from "./uniqueness.ts";


/** Runs a check; an unexpected exception becomes a violation instead of escaping to the caller. */
function guarded(check: () => FieldViolation[]): FieldViolation[] {
  try {
    return check();
  } catch (err) {
    return [violation.invalid("", `object could not be validated: ${err instanceof Error ? err.message : String(err)}`)];
  }
}

/**
 * Stateless checks on one object: metadata syntax, reference syntax for every ref in `kind.refs`,
 * required fields, enums, bounds and intra-object consistency. Never throws, whatever `obj` holds.
 */
export function validateObject(kind: KindDescriptor, obj: KubeObject): FieldViolation[] {
  return guarded(() => {
    const root = asRecord(obj);
    if (!root) return [violation.invalid("", "object must be a JSON object")];
    const rules = kind.rules;
    const out = validateMetadata(root);
    if (root.spec !== undefined && root.spec !== null && !asRecord(root.spec)) out.push(violation.invalid("spec", "must be an object"));
    out.push(...validateReferenceFields(kind, root, new Set(rules.listRefs ?? [])));
    out.push(...validateSameNamespaceRefs(root, rules.sameNamespaceRefs ?? []));
    out.push(...(rules.validateObject?.(root as KubeObject, specOf(root)) ?? []));
    return out;
  });
}

/**
 * Stateful checks for a create (`old` undefined) or an update: referenced objects exist and new
 * references do not point at Terminating objects, finalizer changes are allowed, immutable fields
 * are unchanged, uniqueness, and the kind's ownership/overlap rules. `obj` itself is excluded
 * from comparisons against `state`, so it does not matter whether `state` already holds it.
 */
export function validateWrite(kind: KindDescriptor, obj: KubeObject, old: KubeObject | undefined, state: StateView): FieldViolation[] {
  return guarded(() => {
    const rules = kind.rules;
    const out = validateReferencesExist(kind, obj, state);
    out.push(...validateNoNewRefsToTerminating(kind, obj, old, state));
    out.push(...validateFinalizerChanges(kind, obj, old, state));
    if (old !== undefined) out.push(...validateImmutable(kind, obj, old));
    if (rules.uniqueness) out.push(...validateUnique(kind, rules.uniqueness, obj, state));
    out.push(...(rules.validateWrite?.(obj, old, state) ?? []));
    return out;
  });
}

/** Runs a per-kind delete rule against the stored version of `obj` (a stub with only a name will do). */
function againstStored(kind: KindDescriptor, obj: KubeObject, state: StateView, rule: (current: KubeObject) => string[]): string[] {
  try {
    const key = keyOfObject(obj);
    const id = key ? splitKey(key) : undefined;
    const current = (id && state.get(kind.kind, id.namespace, id.name)) || obj;
    return rule(current);
  } catch (err) {
    return [`delete could not be checked: ${err instanceof Error ? err.message : String(err)}`];
  }
}

/**
 * Why upstream's Sync Delete refuses to delete `obj` now (human-readable, one message per blocker):
 * every use of it, the kind's refusals and Sync-only rules; empty when the delete may proceed. The
 * stored version in `state` is preferred over `obj`, so a caller that only knows the name can pass
 * a stub with `metadata.name`/`namespace`.
 */
export function deleteBlockers(kind: KindDescriptor, obj: KubeObject, state: StateView): string[] {
  const rules = kind.rules;
  return againstStored(kind, obj, state, (current) => [
    ...(rules.usedBy?.(current, state) ?? []),
    ...(rules.deleteRefusals?.(current) ?? []),
    ...(rules.syncDeleteBlockers?.(current, state) ?? []),
  ]);
}

/**
 * Who still uses `obj` (one message per use; empty when nothing does). A delete of an object in use
 * is accepted and leaves it Terminating until this becomes empty (in-use protection).
 */
export function inUseBy(kind: KindDescriptor, obj: KubeObject, state: StateView): string[] {
  const rules = kind.rules;
  return rules.usedBy ? againstStored(kind, obj, state, (current) => rules.usedBy!(current, state)) : [];
}

/** Why no client may delete `obj` at all, whatever uses it (e.g. a server-managed port mapping). */
export function deleteRefusals(kind: KindDescriptor, obj: KubeObject, state: StateView): string[] {
  const rules = kind.rules;
  return rules.deleteRefusals ? againstStored(kind, obj, state, (current) => rules.deleteRefusals!(current)) : [];
}
