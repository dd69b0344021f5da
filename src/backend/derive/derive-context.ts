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
import { bindingMembership, specMemberships, type Membership } from "../../kinds/validation/address-group-membership.ts";
import { splitKey } from "../../kinds/validation/object-key.ts";
import { findBy, refIndex } from "../../kinds/validation/state-lookup.ts";
import type { StateView } from "../../kinds/validation/state-view.ts";
import { servicePortsOf, type ServicePorts } from "./service-port-ranges.ts";

/** One AddressGroup a Service belongs to, and how. */
export interface GroupMembership {
  namespace: string;
  name: string;
  source: "spec" | "binding";
}

export interface DeriveContext {
  readonly state: StateView;
  /**
   * True for a full recomputation (reconcile, deriveAll): derivations then work from scans of the
   * whole state, independent of the write path's indexes and of derived fields, which keeps
   * deriveAll a trustworthy oracle for the incremental step.
   */
  readonly wholeState: boolean;
  get(kind: string, key: string): KubeObject | undefined;
  /** Memberships of a Service (spec and binding), sorted by group key then source. */
  groupsOfService(serviceKey: string): GroupMembership[];
  /** Keys of the Services in an AddressGroup, sorted. */
  servicesInGroup(groupKey: string): string[];
  /** A Service's ingress ports per protocol, sorted and de-duplicated. */
  portsOf(serviceKey: string): ServicePorts;
  /** RuleS2S objects whose local or target Service is `serviceKey`. */
  rulesOfService(serviceKey: string): KubeObject[];
  /** Objects of any kind whose kind-table refs point at `kind` `key`, as [kind, object]. */
  referrers(kind: string, key: string): [string, KubeObject][];
  /** Memo slot for derivations layered on top (rule analyses, generated-rule index). */
  memo<T>(slot: string, compute: () => T): T;
}

/** Plain code-unit order, the same everywhere (no locale). */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Kinds whose kind-table refs point at each kind: who can refer to an object of it. */
const REFERRING_KINDS = new Map(KINDS.map((t) => [t.kind, KINDS.filter((k) => k.refs.some((r) => r.kind === t.kind)).map((k) => k.kind)]));

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
  const bindingsNaming = (target: "Service" | "AddressGroup", key: string): Membership[] =>
    memo(`bindings:${target}:${key}`, () => {
      const out: Membership[] = [];
      for (const b of findBy(state, "AddressGroupBinding", refIndex("AddressGroupBinding", target), key)) {
        const m = bindingMembership(b);
        if (m && (target === "Service" ? m.serviceKey : m.agKey) === key) out.push(m);
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
        const svc = get("Service", serviceKey);
        const memberships = [...(svc ? specMemberships(svc) : []), ...bindingsNaming("Service", serviceKey)];
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
        for (const svc of findBy(state, "Service", refIndex("Service", "AddressGroup"), groupKey)) {
          for (const m of specMemberships(svc)) if (m.agKey === groupKey) keys.add(m.serviceKey);
        }
        for (const m of bindingsNaming("AddressGroup", groupKey)) keys.add(m.serviceKey);
        return [...keys].sort(cmp);
      });
    },
    portsOf(serviceKey) {
      let p = ports.get(serviceKey);
      if (!p) ports.set(serviceKey, (p = servicePortsOf(get("Service", serviceKey))));
      return p;
    },
    rulesOfService(serviceKey) {
      return memo(`rules:${serviceKey}`, () => findBy(state, "RuleS2S", refIndex("RuleS2S", "Service"), serviceKey));
    },
    referrers(kind, key) {
      return memo(`referrers:${kind}:${key}`, () =>
        (REFERRING_KINDS.get(kind) ?? []).flatMap((k) => findBy(state, k, refIndex(k, kind), key).map((o) => [k, o] as [string, KubeObject])),
      );
    },
    memo,
  };
}
