/**
 * The questions derivations ask of one state (a batch's overlay, or a whole store), memoised per
 * pass. Kinds' derive hooks (src/kinds/<kind>/) receive it; `src/backend/derive/create-derive-context.ts`
 * answers it from the state's reference indexes, so each answer costs the size of the answer.
 */
import type { KubeObject } from "../kinds/model.ts";
import type { StateView } from "./state-view.ts";
import type { ServicePorts } from "./service-port-ranges.ts";

/** One AddressGroup a Service belongs to, and how. */
export interface GroupMembership {
  namespace: string;
  name: string;
  source: "spec" | "binding";
}

export interface DeriveContext {
  readonly state: StateView;
  /**
   * True for a full recomputation (reconcile, deriveAll): derivations then work from scans of the
   * whole state, independent of the write path's indexes and of derived fields, which keeps
   * deriveAll a trustworthy oracle for the incremental step.
   */
  readonly wholeState: boolean;
  get(kind: string, key: string): KubeObject | undefined;
  /** Memberships of a Service (spec and binding), sorted by group key then source. */
  groupsOfService(serviceKey: string): GroupMembership[];
  /** Keys of the Services in an AddressGroup, sorted. */
  servicesInGroup(groupKey: string): string[];
  /** A Service's ingress ports per protocol, sorted and de-duplicated. */
  portsOf(serviceKey: string): ServicePorts;
  /** RuleS2S objects whose local or target Service is `serviceKey`. */
  rulesOfService(serviceKey: string): KubeObject[];
  /** Objects of any kind whose kind-table refs point at `kind` `key`, as [kind, object]. */
  referrers(kind: string, key: string): [string, KubeObject][];
  /** Memo slot for derivations layered on top (rule analyses, generated-rule index). */
  memo<T>(slot: string, compute: () => T): T;
}

/** Plain code-unit order, the same everywhere (no locale). */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

