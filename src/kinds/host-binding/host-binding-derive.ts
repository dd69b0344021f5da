/**
 * HostBinding derive hooks: a binding puts its Host into its AddressGroup, so a change of it
 * affects its old and new Host (status) and group (`xAggregatedHosts`, contributed by the Host
 * kind). Bindings are deleted with the Host or group they name (upstream: FK ON DELETE CASCADE).
 */
import { ADDRESS_GROUP_KIND } from "../address-group/kind-name.ts";
import { HOST_KIND } from "../host/kind-name.ts";
import { ownNamedBy } from "../derive-helpers.ts";
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
  affects: (c, t) => ownNamedBy(c, t, [
    [HOST_KIND, boundHostKey],
    [ADDRESS_GROUP_KIND, hostGroupKey],
  ]),
};
