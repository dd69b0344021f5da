/**
 * HostBinding derive hooks: a binding puts its Host into its AddressGroup, so a change of it
 * affects its old and new Host (status) and group (`xAggregatedHosts`, contributed by the Host
 * kind). Bindings are deleted with the Host or group they name (upstream: FK ON DELETE CASCADE).
 */
import { ADDRESS_GROUP_KIND } from "../address-group/kind-name.ts";
import { HOST_KIND } from "../host/kind-name.ts";
import type { KindDerive } from "../kind-derive.ts";
import { boundHostKey, hostGroupKey } from "./host-binding-lookup.ts";

/** HostBinding: see the file comment. */
export const hostBindingDerive: KindDerive = {
  inputs: [
    ["spec", "hostRef"],
    ["spec", "addressGroupRef"],
  ],
  synced: true,
  cascadeDelete: true,
  affects(c, t) {
    for (const v of [c.before, c.after]) {
      const host = v && boundHostKey(v);
      const ag = v && hostGroupKey(v);
      if (host) t.own(HOST_KIND, host);
      if (ag) t.own(ADDRESS_GROUP_KIND, ag);
    }
  },
};
