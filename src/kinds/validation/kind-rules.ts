/**
 * The shape of per-kind validation: what differs between kinds beyond the kind table's generic
 * `refs` / `immutable` data. Each kind has one `*-rules.ts` file in its folder exporting a
 * `KindRules`, held by its descriptor (`src/kinds/<kind>/descriptor.ts`); `index.ts` runs generic
 * checks first, then the kind's own.
 */
import type { KubeObject } from "../model.ts";
import type { FieldViolation } from "../violations.ts";
import type { JsonRecord } from "../../domain/json-access.ts";
import type { SameNamespaceRef } from "./reference-syntax.ts";
import type { StateView } from "../../domain/state-view.ts";
import type { UniquenessRule } from "./uniqueness.ts";

/** Per-kind validation specifics; every member is optional. */
export interface KindRules {
  /**
   * Dotted ref paths (from the kind table's `refs`) that hold an optional list of references
   * instead of one required reference, e.g. Service "spec.addressGroups".
   */
  readonly listRefs?: readonly string[];
  /** Ref paths whose namespace must equal the object's own namespace. */
  readonly sameNamespaceRefs?: readonly SameNamespaceRef[];
  /** What makes two objects of this kind duplicates of each other. */
  readonly uniqueness?: UniquenessRule;
  /** Stateless checks of this kind's fields. `spec` is `obj.spec` or `{}` when it is missing/malformed. */
  validateObject?(obj: KubeObject, spec: JsonRecord): FieldViolation[];
  /** Stateful checks beyond reference existence, immutability and uniqueness. */
  validateWrite?(obj: KubeObject, old: KubeObject | undefined, state: StateView): FieldViolation[];
  /**
   * Who still uses the object, one message per use (empty when nothing does). A delete of an object
   * in use is accepted and leaves it Terminating until the last use goes away (in-use protection);
   * upstream's Sync Delete refuses it instead.
   */
  usedBy?(obj: KubeObject, state: StateView): string[];
  /** Why a client may never delete the object, whatever uses it (e.g. server-managed objects). */
  deleteRefusals?(obj: KubeObject): string[];
  /** Reasons only upstream's Sync Delete refuses on top of `usedBy` and `deleteRefusals`. */
  syncDeleteBlockers?(obj: KubeObject, state: StateView): string[];
}
