/**
 * What derivations read in one pass over a state (a batch's overlay, or a whole store): objects by
 * key, referrers from the state's reference indexes, and a memo in which kinds' derive hooks
 * (src/kinds/<kind>/) keep their own questions — a Service's groups, a group's members — so each is
 * answered once per pass. Built by `src/backend/derive/create-derive-context.ts`.
 */
import type { KubeObject } from "../kinds/model.ts";
import type { StateView } from "./state-view.ts";

/** The reads of one derive pass (see the file comment). */
export interface DeriveContext {
  readonly state: StateView;
  /**
   * True for a full recomputation (reconcile, deriveAll): derivations then work from scans of the
   * whole state, independent of the write path's indexes and of derived fields, which keeps
   * deriveAll a trustworthy oracle for the incremental step.
   */
  readonly wholeState: boolean;
  get(kind: string, key: string): KubeObject | undefined;
  /** Objects of any kind whose kind-table refs point at `kind` `key`, as [kind, object]. */
  referrers(kind: string, key: string): [string, KubeObject][];
  /** Memo slot for derivations layered on top (rule analyses, generated-rule index). */
  memo<T>(slot: string, compute: () => T): T;
}

/** Plain code-unit order, the same everywhere (no locale). */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

