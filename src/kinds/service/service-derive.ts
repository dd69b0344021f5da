/**
 * Service derive hooks: the Service's `xAggregatedAddressGroups`, and what a change of its ports or
 * groups affects — the port mappings of its old and new groups, and every RuleS2S that names it
 * (readiness, refs, generated rules).
 */
import { specMemberships } from "../address-group/address-group-membership.ts";
import { ADDRESS_GROUP_PORT_MAPPING_KIND } from "../address-group-port-mapping/kind-name.ts";
import { keyOf, setOrDelete } from "../derive-helpers.ts";
import type { KindDerive, TargetSink } from "../kind-derive.ts";
import { RULE_S2S_KIND } from "../rule-s2s/kind-name.ts";
import { aggregatedAddressGroups } from "./aggregated-address-groups.ts";
import { SERVICE_KIND } from "./kind-name.ts";
import { groupsOfService } from "../address-group/group-members.ts";
import { rulesOfService } from "../rule-s2s/rules-of-service.ts";

/**
 * The groups of Service `serviceKey` changed (its own spec, or a binding naming it): its aggregated
 * groups and every RuleS2S naming it are affected.
 */
export function serviceGroupsChanged(serviceKey: string, t: TargetSink): void {
  t.own(SERVICE_KIND, serviceKey);
  for (const rule of rulesOfService(t.ctx, serviceKey)) t.affected(RULE_S2S_KIND, keyOf(rule));
}

/** Service: see the file comment. */
export const serviceDerive: KindDerive = {
  inputs: [
    ["spec", "ingressPorts"],
    ["spec", "addressGroups"],
  ],
  synced: true,
  fields: (obj, key, ctx) => setOrDelete(obj, "xAggregatedAddressGroups", aggregatedAddressGroups(ctx, key)),
  affects(c, t) {
    for (const v of [c.before, c.after]) for (const m of specMemberships(v)) t.managed(ADDRESS_GROUP_PORT_MAPPING_KIND, m.agKey);
    for (const g of groupsOfService(t.ctx, c.key)) t.managed(ADDRESS_GROUP_PORT_MAPPING_KIND, `${g.namespace}/${g.name}`);
    serviceGroupsChanged(c.key, t);
  },
};
