/**
 * AddressGroupBindingPolicy rules: the policy is the AddressGroup owner's consent to a
 * cross-namespace binding, so it must live in the group's namespace; one policy per
 * Service/AddressGroup pair; and it is in use while a binding for that pair relies on it.
 */
import { bindingMembership } from "../address-group/address-group-membership.ts";
import { objectsForPair, servicePairKey } from "../address-group-binding/address-group-binding-rules.ts";
import type { KindRules } from "../validation/kind-rules.ts";
import { keyOfObject } from "../../domain/object-identity.ts";
import type { StateView } from "../../domain/state-view.ts";

function policyUsers(obj: unknown, state: StateView): string[] {
  const pair = servicePairKey(obj);
  if (!pair) return [];
  const out: string[] = [];
  for (const binding of objectsForPair(state, "AddressGroupBinding", pair)) {
    const m = bindingMembership(binding)!;
    out.push(
      `AddressGroupBindingPolicy ${keyOfObject(obj) ?? "?"} is in use by AddressGroupBinding ${keyOfObject(binding) ?? "?"} ` +
        `(Service ${m.serviceKey} in AddressGroup ${m.agKey})`,
    );
  }
  return out;
}

/** AddressGroupBindingPolicy: see the file comment. */
export const addressGroupBindingPolicyRules: KindRules = {
  sameNamespaceRefs: [
    { path: "spec.addressGroupRef", reason: "an AddressGroupBindingPolicy must live in its AddressGroup's namespace" },
  ],
  uniqueness: { field: "spec", key: servicePairKey, describe: "the same Service and AddressGroup" },
  usedBy: policyUsers,
};
