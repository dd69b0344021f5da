/**
 * AddressGroupBinding derive hooks: a binding gives its Service a group, so a change of it affects
 * the port mappings of its old and new group and the groups (and rules) of its old and new Service.
 */
import { bindingMembership } from "../address-group/address-group-membership.ts";
import { ADDRESS_GROUP_PORT_MAPPING_KIND } from "../address-group-port-mapping/kind-name.ts";
import type { KindDerive } from "../kind-derive.ts";
import { serviceGroupsChanged } from "../service/service-derive.ts";

/** AddressGroupBinding: see the file comment. */
export const addressGroupBindingDerive: KindDerive = {
  inputs: [
    ["spec", "serviceRef"],
    ["spec", "addressGroupRef"],
  ],
  synced: true,
  affects(c, t) {
    for (const v of [c.before, c.after]) {
      const m = v && bindingMembership(v);
      if (!m) continue;
      t.managed(ADDRESS_GROUP_PORT_MAPPING_KIND, m.agKey);
      serviceGroupsChanged(m.serviceKey, t);
    }
  },
};
