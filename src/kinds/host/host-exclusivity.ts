/**
 * A Host belongs to one AddressGroup (upstream: the trigger `check_host_exclusivity` of migration
 * 012 and `validate_host_binding_conflicts` of 014): a group may list in `spec.hosts` only Hosts
 * that no other group lists and no HostBinding binds.
 */
import { item } from "../../domain/field-path.ts";
import { keyOfObject } from "../../domain/object-identity.ts";
import type { StateView } from "../../domain/state-view.ts";
import { HOST_KIND } from "./kind-name.ts";
import { hostBindingsNaming } from "../host-binding/host-binding-lookup.ts";
import { violation, type FieldViolation } from "../violations.ts";
import { groupsListingHost, listedHostKeys } from "./host-membership.ts";

/** Violations for the Hosts `group` lists that already belong elsewhere. */
export function validateHostsExclusive(group: unknown, state: StateView): FieldViolation[] {
  const self = keyOfObject(group);
  const out: FieldViolation[] = [];
  listedHostKeys(group).forEach((hostKey, i) => {
    const field = item("spec.hosts", i);
    for (const other of groupsListingHost(state, hostKey)) {
      const otherKey = keyOfObject(other);
      if (otherKey !== self) out.push(violation.forbidden(field, `Host ${hostKey} already belongs to AddressGroup ${otherKey ?? "?"} via spec.hosts`));
    }
    for (const b of hostBindingsNaming(state, HOST_KIND, hostKey)) {
      out.push(violation.forbidden(field, `Host ${hostKey} already belongs to an AddressGroup via HostBinding ${keyOfObject(b) ?? "?"}`));
    }
  });
  return out;
}
