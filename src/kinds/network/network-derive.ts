/**
 * Network derive hooks: `status.isBound`, `status.bindingRef` and `status.addressGroupRef` say
 * which NetworkBinding binds the Network to which AddressGroup (upstream's network service wrote
 * them when a binding was created or deleted; here they follow the bindings in the same
 * transaction). `spec.cidr` is immutable, so a Network influences others only by existing.
 */
import { API_VERSION } from "../model.ts";
import { ADDRESS_GROUP_KIND } from "../address-group/kind-name.ts";
import { statusOf } from "../derive-helpers.ts";
import type { KindDerive } from "../kind-derive.ts";
import { NETWORK_BINDING_KIND } from "../network-binding/kind-name.ts";
import { bindingsNaming, boundGroupKey } from "../network-binding/network-binding-lookup.ts";
import { NETWORK_KIND } from "./kind-name.ts";
import { splitKey } from "../../domain/object-key.ts";

/** Network: see the file comment. */
export const networkDerive: KindDerive = {
  inputs: [],
  fields(obj, key, ctx) {
    const s = statusOf(obj);
    const binding = bindingsNaming(ctx.state, NETWORK_KIND, key)[0];
    const group = binding && splitKey(boundGroupKey(binding) ?? "");
    if (!binding || !group) {
      delete s.isBound;
      delete s.bindingRef;
      delete s.addressGroupRef;
      return;
    }
    s.isBound = true;
    s.bindingRef = { apiVersion: API_VERSION, kind: NETWORK_BINDING_KIND, name: binding.metadata.name };
    s.addressGroupRef = { apiVersion: API_VERSION, kind: ADDRESS_GROUP_KIND, name: group.name };
  },
  affects(c, t) {
    // the groups holding this network list it (with its CIDR) in their `networks`
    for (const b of bindingsNaming(t.ctx.state, NETWORK_KIND, c.key)) {
      const ag = boundGroupKey(b);
      if (ag) t.own(ADDRESS_GROUP_KIND, ag);
    }
  },
};
