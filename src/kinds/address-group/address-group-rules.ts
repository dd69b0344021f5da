/**
 * AddressGroup rules: `defaultAction` is required (ACCEPT|DROP) because sgroups needs a verdict for
 * traffic no rule matches. The group is in use while a Service lists it or a binding targets it
 * (its port mapping and the Services' aggregated groups would dangle), so a delete leaves it
 * Terminating until then. IEAgAgRules naming it do not hold it: they are deleted with it. The
 * Hosts it lists in `spec.hosts` belong to it alone (src/kinds/host/host-exclusivity.ts).
 */
import { describeVia, membershipsOfGroup } from "./address-group-membership.ts";
import { RULE_ACTIONS } from "../../domain/domain-values.ts";
import { checkEnum, checkOptionalBool } from "../validation/field-checks.ts";
import { validateHostsExclusive } from "../host/host-exclusivity.ts";
import type { KindRules } from "../validation/kind-rules.ts";
import { keyOfObject } from "../../domain/object-identity.ts";
import type { StateView } from "../../domain/state-view.ts";

function addressGroupUsers(obj: unknown, state: StateView): string[] {
  const key = keyOfObject(obj);
  if (!key) return [];
  return membershipsOfGroup(state, key).map((m) => `AddressGroup ${key} is used by Service ${m.serviceKey} ${describeVia(m)}`);
}

/** AddressGroup: see the file comment. */
export const addressGroupRules: KindRules = {
  validateObject: (_obj, spec) => [
    ...checkEnum(spec.defaultAction, "spec.defaultAction", RULE_ACTIONS, true),
    ...checkOptionalBool(spec.logs, "spec.logs"),
    ...checkOptionalBool(spec.trace, "spec.trace"),
  ],
  // spec.hosts: Hosts of the group's namespace (checked as references, see the descriptor)
  listRefs: ["spec.hosts"],
  validateWrite: (obj, _old, state) => validateHostsExclusive(obj, state),
  usedBy: addressGroupUsers,
};
