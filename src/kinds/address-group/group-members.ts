/**
 * Membership questions of one derive pass — a Service's groups, a group's Services — memoised in
 * the pass's context, each answered from the reference indexes (its cost is the size of the
 * answer): a Service's groups need only the Service and the bindings naming it, the members of a
 * group only the Services and bindings naming the group. Used by the Service, port-mapping and
 * RuleS2S derive hooks.
 */
import { cmp, type DeriveContext } from "../../domain/derive-context.ts";
import { splitKey } from "../../domain/object-key.ts";
import { findBy, refIndex } from "../../domain/state-lookup.ts";
import { ADDRESS_GROUP_BINDING_KIND } from "../address-group-binding/kind-name.ts";
import { SERVICE_KIND } from "../service/kind-name.ts";
import { bindingMembership, specMemberships, type Membership } from "./address-group-membership.ts";
import { ADDRESS_GROUP_KIND } from "./kind-name.ts";

/** One AddressGroup a Service belongs to, and how. */
export interface GroupMembership {
  namespace: string;
  name: string;
  source: "spec" | "binding";
}

/** Memberships that bindings naming Service or AddressGroup `key` give. */
function bindingsNaming(ctx: DeriveContext, target: typeof SERVICE_KIND | typeof ADDRESS_GROUP_KIND, key: string): Membership[] {
  return ctx.memo(`bindings:${target}:${key}`, () => {
    const out: Membership[] = [];
    for (const b of findBy(ctx.state, ADDRESS_GROUP_BINDING_KIND, refIndex(ADDRESS_GROUP_BINDING_KIND, target), key)) {
      const m = bindingMembership(b);
      if (m && (target === SERVICE_KIND ? m.serviceKey : m.agKey) === key) out.push(m);
    }
    return out;
  });
}

/** Memberships of a Service (spec and binding), sorted by group key then source. */
export function groupsOfService(ctx: DeriveContext, serviceKey: string): GroupMembership[] {
  return ctx.memo(`groups:${serviceKey}`, () => {
    const svc = ctx.get(SERVICE_KIND, serviceKey);
    const memberships = [...(svc ? specMemberships(svc) : []), ...bindingsNaming(ctx, SERVICE_KIND, serviceKey)];
    const out: GroupMembership[] = [];
    const seen = new Set<string>();
    for (const m of memberships) {
      const id = splitKey(m.agKey);
      if (!id || seen.has(`${m.agKey}|${m.via}`)) continue;
      seen.add(`${m.agKey}|${m.via}`);
      out.push({ namespace: id.namespace, name: id.name, source: m.via });
    }
    return out.sort((a, b) => cmp(`${a.namespace}/${a.name}`, `${b.namespace}/${b.name}`) || cmp(a.source, b.source));
  });
}

/** Keys of the Services in an AddressGroup, sorted. */
export function servicesInGroup(ctx: DeriveContext, groupKey: string): string[] {
  return ctx.memo(`members:${groupKey}`, () => {
    const keys = new Set<string>();
    for (const svc of findBy(ctx.state, SERVICE_KIND, refIndex(SERVICE_KIND, ADDRESS_GROUP_KIND), groupKey)) {
      for (const m of specMemberships(svc)) if (m.agKey === groupKey) keys.add(m.serviceKey);
    }
    for (const m of bindingsNaming(ctx, ADDRESS_GROUP_KIND, groupKey)) keys.add(m.serviceKey);
    return [...keys].sort(cmp);
  });
}
