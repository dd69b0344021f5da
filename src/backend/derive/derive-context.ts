/**
 * Memoised reads over one state (a batch's overlay, or a whole store) shared by every derivation of
 * one pass. Derivations ask questions such as "which Services are in AddressGroup X" or "which
 * RuleS2S reference Service Y" many times per pass; each answer is computed once per pass, and
 * each index is built only when first needed, by one lean scan of the kinds it covers:
 *
 * - a Service's own groups need only the Service and the bindings (no scan of all Services), which
 *   is what the per-write derivation of Services and RuleS2S asks;
 * - the members of a group need every Service's `spec.addressGroups` (one scan per pass);
 * - the referrers of an object need the kinds whose kind-table refs point at its kind.
 *
 * A context must not outlive the state it was built on: derived writes never change the inputs
 * (specs and bindings) it caches, which is what makes reuse within one pass safe.
 */
import { KINDS } from "../../kinds/kind-table.ts";
import type { KubeObject } from "../../kinds/model.ts";
import { bindingMembership, specMemberships, type Membership } from "../../kinds/validation/address-group-membership.ts";
import { asArray, readPath } from "../../kinds/validation/json-access.ts";
import { splitKey } from "../../kinds/validation/object-key.ts";
import { refKey } from "../../kinds/validation/references.ts";
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

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/** The keys of the references at a kind-table ref path (one reference or a list of them). */
function refKeysAt(obj: unknown, path: readonly string[]): string[] {
  const value = readPath(obj, path);
  const list = asArray(value) ?? (value === undefined || value === null ? [] : [value]);
  const out: string[] = [];
  for (const v of list) {
    const k = refKey(v);
    if (k) out.push(k);
  }
  return out;
}

export function createDeriveContext(state: StateView): DeriveContext {
  const slots = new Map<string, unknown>();
  const memo = <T>(slot: string, compute: () => T): T => {
    if (!slots.has(slot)) slots.set(slot, compute());
    return slots.get(slot) as T;
  };
  const get = (kind: string, key: string) => {
    const id = splitKey(key);
    return id ? state.get(kind, id.namespace, id.name) : undefined;
  };
  const bindings = () =>
    memo("bindings", () => {
      const byService = new Map<string, Membership[]>();
      const byGroup = new Map<string, Membership[]>();
      for (const b of state.list("AddressGroupBinding")) {
        const m = bindingMembership(b);
        if (!m) continue;
        push(byService, m.serviceKey, m);
        push(byGroup, m.agKey, m);
      }
      return { byService, byGroup };
    });
  const specMembersByGroup = () =>
    memo("specMembers", () => {
      const byGroup = new Map<string, string[]>();
      for (const svc of state.list("Service")) for (const m of specMemberships(svc)) push(byGroup, m.agKey, m.serviceKey);
      return byGroup;
    });
  const referrerIndex = (target: string) =>
    memo(`referrers:${target}`, () => {
      const index = new Map<string, [string, KubeObject][]>();
      for (const kind of KINDS) {
        const paths = kind.refs.filter((r) => r.kind === target).map((r) => r.path);
        if (paths.length === 0) continue;
        for (const obj of state.list(kind.kind)) {
          const keys = new Set(paths.flatMap((p) => refKeysAt(obj, p)));
          for (const k of keys) push(index, k, [kind.kind, obj] as [string, KubeObject]);
        }
      }
      return index;
    });
  const ports = new Map<string, ServicePorts>();

  return {
    state,
    get,
    groupsOfService(serviceKey) {
      return memo(`groups:${serviceKey}`, () => {
        const svc = get("Service", serviceKey);
        const memberships = [...(svc ? specMemberships(svc) : []), ...(bindings().byService.get(serviceKey) ?? [])];
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
        const keys = new Set(specMembersByGroup().get(groupKey) ?? []);
        for (const m of bindings().byGroup.get(groupKey) ?? []) keys.add(m.serviceKey);
        return [...keys].sort(cmp);
      });
    },
    portsOf(serviceKey) {
      let p = ports.get(serviceKey);
      if (!p) ports.set(serviceKey, (p = servicePortsOf(get("Service", serviceKey))));
      return p;
    },
    rulesOfService(serviceKey) {
      return referrerIndex("Service").get(serviceKey)?.filter(([k]) => k === "RuleS2S").map(([, o]) => o) ?? [];
    },
    referrers(kind, key) {
      return referrerIndex(kind).get(key) ?? [];
    },
    memo,
  };
}
