/**
 * Memoised reads over one state (a batch's overlay, or a whole store) shared by every derivation of
 * one pass. Derivations ask questions such as "which Services are in AddressGroup X" or "which
 * RuleS2S reference Service Y" many times per pass; each answer is computed once per pass from the
 * state's reference indexes (state-lookup.ts), so its cost is the size of the answer, not of the
 * store: a Service's groups need only the Service and the bindings naming it, the members of a
 * group only the Services and bindings naming the group, the referrers of an object only the
 * objects whose kind-table refs name it.
 *
 * A context must not outlive the state it was built on: derived writes never change the inputs
 * (specs and bindings) it caches, which is what makes reuse within one pass safe.
 */
import { KINDS } from "../../kinds/kind-table.ts";
import type { KubeObject } from "../../kinds/model.ts";
import { bindingMembership, specMemberships, type Membership } from "../../kinds/address-group/address-group-membership.ts";
import { cmp, type DeriveContext, findBy, type GroupMembership, refIndex, type ServicePorts, servicePortsOf, splitKey, type StateView } from "../../domain/mod.ts";
import { ADDRESS_GROUP_KIND } from "../../kinds/address-group/kind-name.ts";
import { ADDRESS_GROUP_BINDING_KIND } from "../../kinds/address-group-binding/kind-name.ts";
import { RULE_S2S_KIND } from "../../kinds/rule-s2s/kind-name.ts";
import { SERVICE_KIND } from "../../kinds/service/kind-name.ts";

let referring: Map<string, string[]> | undefined;
/** Kinds whose kind-table refs point at `kind`: who can refer to an object of it (built on first use). */
function referringKinds(kind: string): string[] {
  referring ??= new Map(KINDS.map((t) => [t.kind, KINDS.filter((k) => k.refs.some((r) => r.kind === t.kind)).map((k) => k.kind)]));
  return referring.get(kind) ?? [];
}

export function createDeriveContext(state: StateView, wholeState = false): DeriveContext {
  const slots = new Map<string, unknown>();
  const memo = <T>(slot: string, compute: () => T): T => {
    if (!slots.has(slot)) slots.set(slot, compute());
    return slots.get(slot) as T;
  };
  const get = (kind: string, key: string) => {
    const id = splitKey(key);
    return id ? state.get(kind, id.namespace, id.name) : undefined;
  };
  /** Memberships that bindings naming `key` (a Service or an AddressGroup) give. */
  const bindingsNaming = (target: typeof SERVICE_KIND | typeof ADDRESS_GROUP_KIND, key: string): Membership[] =>
    memo(`bindings:${target}:${key}`, () => {
      const out: Membership[] = [];
      for (const b of findBy(state, ADDRESS_GROUP_BINDING_KIND, refIndex(ADDRESS_GROUP_BINDING_KIND, target), key)) {
        const m = bindingMembership(b);
        if (m && (target === SERVICE_KIND ? m.serviceKey : m.agKey) === key) out.push(m);
      }
      return out;
    });
  const ports = new Map<string, ServicePorts>();

  return {
    state,
    wholeState,
    get,
    groupsOfService(serviceKey) {
      return memo(`groups:${serviceKey}`, () => {
        const svc = get(SERVICE_KIND, serviceKey);
        const memberships = [...(svc ? specMemberships(svc) : []), ...bindingsNaming(SERVICE_KIND, serviceKey)];
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
    },
    servicesInGroup(groupKey) {
      return memo(`members:${groupKey}`, () => {
        const keys = new Set<string>();
        for (const svc of findBy(state, SERVICE_KIND, refIndex(SERVICE_KIND, ADDRESS_GROUP_KIND), groupKey)) {
          for (const m of specMemberships(svc)) if (m.agKey === groupKey) keys.add(m.serviceKey);
        }
        for (const m of bindingsNaming(ADDRESS_GROUP_KIND, groupKey)) keys.add(m.serviceKey);
        return [...keys].sort(cmp);
      });
    },
    portsOf(serviceKey) {
      let p = ports.get(serviceKey);
      if (!p) ports.set(serviceKey, (p = servicePortsOf(get(SERVICE_KIND, serviceKey))));
      return p;
    },
    rulesOfService(serviceKey) {
      return memo(`rules:${serviceKey}`, () => findBy(state, RULE_S2S_KIND, refIndex(RULE_S2S_KIND, SERVICE_KIND), serviceKey));
    },
    referrers(kind, key) {
      return memo(`referrers:${kind}:${key}`, () =>
        referringKinds(kind).flatMap((k) => findBy(state, k, refIndex(k, kind), key).map((o) => [k, o] as [string, KubeObject])),
      );
    },
    memo,
  };
}
