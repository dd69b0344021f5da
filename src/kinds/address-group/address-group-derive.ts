/**
 * AddressGroup derive hooks: `status.addressGroupName` ("namespace/name", upstream's sgroups name),
 * and its port mapping, which exists exactly while the group does.
 */
import { ADDRESS_GROUP_PORT_MAPPING_KIND } from "../address-group-port-mapping/kind-name.ts";
import { statusOf } from "../derive-helpers.ts";
import type { KindDerive } from "../kind-derive.ts";

/** AddressGroup: see the file comment. */
export const addressGroupDerive: KindDerive = {
  inputs: [],
  synced: true,
  fields: (obj, key) => void (statusOf(obj).addressGroupName = key),
  affects: (c, t) => t.managed(ADDRESS_GROUP_PORT_MAPPING_KIND, c.key),
};
