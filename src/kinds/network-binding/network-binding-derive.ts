/**
 * NetworkBinding derive hooks: the binding's `network` (the bound Network as a NetworkItem) and
 * what it contributes to its AddressGroup — the group's `networks`, one item per NetworkBinding
 * naming it (upstream's binding service rewrote the group on every binding change). A change of a
 * binding affects its old and new Network (status) and group (networks). Bindings are deleted with
 * the group or Network they name (upstream: FK ON DELETE CASCADE).
 */
import { ADDRESS_GROUP_KIND } from "../address-group/kind-name.ts";
import { ownNamedBy, setOrDelete } from "../derive-helpers.ts";
import type { KindDerive } from "../kind-derive.ts";
import { NETWORK_KIND } from "../network/kind-name.ts";
import { bindingsNaming, boundGroupKey, boundNetworkKey } from "./network-binding-lookup.ts";
import { networkItemOf } from "./network-item.ts";

/** NetworkBinding: see the file comment. */
export const networkBindingDerive: KindDerive = {
  inputs: [
    ["spec", "networkRef"],
    ["spec", "addressGroupRef"],
  ],
  synced: true,
  cascadeDelete: true,
  fields(obj, _key, ctx) {
    const net = boundNetworkKey(obj);
    const network = net ? ctx.get(NETWORK_KIND, net) : undefined;
    setOrDelete(obj, "network", network ? networkItemOf(network) : undefined);
  },
  affects: (c, t) => ownNamedBy(c, t, [
    [NETWORK_KIND, boundNetworkKey],
    [ADDRESS_GROUP_KIND, boundGroupKey],
  ]),
  contributes: [
    {
      kind: ADDRESS_GROUP_KIND,
      fields(obj, key, ctx) {
        const items = [];
        for (const b of bindingsNaming(ctx.state, ADDRESS_GROUP_KIND, key)) {
          const net = boundNetworkKey(b);
          const network = net ? ctx.get(NETWORK_KIND, net) : undefined;
          if (network) items.push(networkItemOf(network));
        }
        setOrDelete(obj, "networks", items.length ? items : undefined);
      },
    },
  ],
};
