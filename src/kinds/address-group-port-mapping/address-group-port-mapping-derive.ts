/**
 * AddressGroupPortMapping derive hooks: the mapping is server-managed — one per AddressGroup, with
 * its name and namespace, existing exactly while the group does — and its `accessPorts` lists the
 * ports of every Service in the group (access-ports.ts).
 */
import { ADDRESS_GROUP_KIND } from "../address-group/kind-name.ts";
import { keyOf, setOrDelete } from "../derive-helpers.ts";
import type { KindDerive } from "../kind-derive.ts";
import { accessPortsOf } from "./access-ports.ts";
import { ADDRESS_GROUP_PORT_MAPPING_KIND } from "./kind-name.ts";

/** AddressGroupPortMapping: see the file comment. */
export const addressGroupPortMappingDerive: KindDerive = {
  inputs: [],
  fields: (obj, key, ctx) => setOrDelete(obj, "accessPorts", accessPortsOf(ctx, key)),
  notReady: (_obj, key, ctx) => (ctx.get(ADDRESS_GROUP_KIND, key) ? [] : [`AddressGroup ${key} not found`]),
  affects: (c, t) => t.managed(ADDRESS_GROUP_PORT_MAPPING_KIND, c.key),
  managed: {
    // the content is all derived fields, which the generic step sets
    desired: (key, ctx) => (ctx.get(ADDRESS_GROUP_KIND, key) ? { shape() {} } : undefined),
    *allKeys(ctx) {
      for (const ag of ctx.state.list(ADDRESS_GROUP_KIND)) yield keyOf(ag);
      for (const m of ctx.state.list(ADDRESS_GROUP_PORT_MAPPING_KIND)) yield keyOf(m);
    },
  },
};
