/**
 * Host derive hooks: `status.isBound`, `status.addressGroupName`, `status.addressGroupRef` and
 * (when a HostBinding holds it) `status.bindingRef` say which AddressGroup holds the Host (upstream:
 * the host binding service and the triggers of migration 015). The Host also contributes its
 * AddressGroup's `xAggregatedHosts`: a change of a group's `spec.hosts` affects the Hosts it lists
 * before and after. `spec.uuid` is immutable, so a Host influences others only by existing.
 */
import { splitKey } from "../../domain/object-key.ts";
import { ADDRESS_GROUP_KIND } from "../address-group/kind-name.ts";
import { keyOf, setOrDelete, statusOf } from "../derive-helpers.ts";
import { HOST_BINDING_KIND } from "../host-binding/kind-name.ts";
import { hostBindingsNaming, hostGroupKey } from "../host-binding/host-binding-lookup.ts";
import type { KindDerive } from "../kind-derive.ts";
import { API_VERSION } from "../model.ts";
import { aggregatedHosts } from "./aggregated-hosts.ts";
import { groupsListingHost, listedHostKeys, membershipOfHost } from "./host-membership.ts";
import { HOST_KIND } from "./kind-name.ts";

const BOUND_FIELDS = ["isBound", "bindingRef", "addressGroupRef", "addressGroupName"] as const;

/** Host: see the file comment. */
export const hostDerive: KindDerive = {
  inputs: [],
  fields(obj, key, ctx) {
    const s = statusOf(obj);
    const m = membershipOfHost(ctx.state, key);
    const group = m && splitKey(m.groupKey);
    if (!m || !group) {
      for (const f of BOUND_FIELDS) delete s[f];
      return;
    }
    s.isBound = true;
    s.addressGroupName = m.groupKey;
    s.addressGroupRef = { apiVersion: API_VERSION, kind: ADDRESS_GROUP_KIND, name: group.name };
    setOrDelete(s, "bindingRef", m.binding ? { apiVersion: API_VERSION, kind: HOST_BINDING_KIND, name: m.binding.metadata.name } : undefined);
  },
  affects(c, t) {
    // the groups holding this Host list it (with its UUID) in their xAggregatedHosts
    for (const g of groupsListingHost(t.ctx.state, c.key)) t.own(ADDRESS_GROUP_KIND, keyOf(g));
    for (const b of hostBindingsNaming(t.ctx.state, HOST_KIND, c.key)) {
      const ag = hostGroupKey(b);
      if (ag) t.own(ADDRESS_GROUP_KIND, ag);
    }
  },
  contributes: [
    {
      kind: ADDRESS_GROUP_KIND,
      inputs: [["spec", "hosts"]],
      fields: (obj, key, ctx) => setOrDelete(obj, "xAggregatedHosts", aggregatedHosts(ctx, obj, key)),
      affects(c, t) {
        for (const v of [c.before, c.after]) for (const hostKey of v ? listedHostKeys(v) : []) t.own(HOST_KIND, hostKey);
      },
    },
  ],
};
