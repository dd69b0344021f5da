/**
 * Which derived results a batch of changes can affect — the incremental part of the derive step.
 * Only these targets are recomputed and compared; everything else is left alone. `deriveAll`
 * (derive-all.ts) recomputes every target from scratch, and the property tests check that both
 * agree after every step, which is what keeps this dependency list honest.
 *
 * Dependencies (input → derived):
 * - Service spec.addressGroups / ports → its aggregated groups, the port mappings of its old and new
 *   groups, and every RuleS2S that names it (readiness, refs, generated rules);
 * - AddressGroupBinding → the aggregated groups of its old/new Service (and that Service's rules),
 *   the port mappings of its old/new group;
 * - AddressGroup created/deleted → its port mapping; on delete, every IEAgAgRule naming it (cascade);
 * - RuleS2S → its own status and every generated rule it contributed to before or contributes to now;
 * - any create/delete → the Ready condition of objects whose kind-table refs point at it;
 * - any write → the written object's own derived fields.
 */
import { KINDS } from "../../kinds/kind-table.ts";
import { jsonEqual, type KubeObject } from "../../kinds/model.ts";
import { bindingMembership, specMemberships } from "../../kinds/validation/address-group-membership.ts";
import { readPath } from "../../kinds/validation/json-access.ts";
import { splitKey } from "../../kinds/validation/object-key.ts";
import type { StateView } from "../../kinds/validation/state-view.ts";
import type { DeriveContext } from "./derive-context.ts";
import { analyzeRule } from "./rule-combinations.ts";
import { storedRuleRefs } from "./rule-refs.ts";

export { storedRuleRefs };

/** One changed object: its committed version and its version after the batch (undefined: absent). */
export interface Change {
  kind: string;
  key: string;
  before?: KubeObject;
  after?: KubeObject;
}

export interface Targets {
  /** kind → keys of existing objects whose own derived fields to recompute. */
  own: Map<string, Set<string>>;
  /** AddressGroup keys whose port mapping to recompute (create, update or delete). */
  mappings: Set<string>;
  /** IEAgAgRule keys of generated rules to recompute (create, update or delete). */
  generated: Set<string>;
  /** Deleted AddressGroup keys: IEAgAgRules naming them are deleted. */
  cascade: Set<string>;
}

export function emptyTargets(): Targets {
  return { own: new Map(KINDS.map((k) => [k.kind, new Set<string>()])), mappings: new Set(), generated: new Set(), cascade: new Set() };
}

const keyOf = (o: KubeObject) => `${o.metadata.namespace}/${o.metadata.name}`;

/**
 * The fields of each kind that other derived results depend on (besides existence). An update
 * that changes none of them — a relabel, an annotation, a status write — is not propagated.
 * Kinds without an entry influence others only by existing.
 */
const INPUTS: Readonly<Record<string, readonly (readonly string[])[]>> = {
  Service: [["spec", "ingressPorts"], ["spec", "addressGroups"]],
  AddressGroupBinding: [["spec", "serviceRef"], ["spec", "addressGroupRef"]],
  RuleS2S: [["spec"]],
  AddressGroup: [],
  AddressGroupPortMapping: [],
  ServiceAlias: [],
  AddressGroupBindingPolicy: [],
  IEAgAgRule: [],
};

export function affectedTargets(changes: readonly Change[], ctx: DeriveContext, committed: StateView): Targets {
  const t = emptyTargets();
  const own = (kind: string, key: string) => {
    if (ctx.get(kind, key)) t.own.get(kind)!.add(key);
  };
  const seenRules = new Set<string>();
  const ruleAffected = (ruleKey: string) => {
    if (seenRules.has(ruleKey)) return;
    seenRules.add(ruleKey);
    own("RuleS2S", ruleKey);
    const current = ctx.get("RuleS2S", ruleKey);
    const id = splitKey(ruleKey);
    const old = id && committed.get("RuleS2S", id.namespace, id.name);
    for (const k of [...storedRuleRefs(old), ...storedRuleRefs(current)]) t.generated.add(k);
    if (current) for (const c of analyzeRule(ctx, current).contributions) t.generated.add(`${c.namespace}/${c.name}`);
  };
  const groupsOfServiceChanged = (serviceKey: string) => {
    own("Service", serviceKey);
    for (const rule of ctx.rulesOfService(serviceKey)) ruleAffected(keyOf(rule));
  };

  for (const c of changes) {
    if (c.after) own(c.kind, c.key);
    if (!c.before !== !c.after) {
      for (const [kind, obj] of ctx.referrers(c.kind, c.key)) {
        if (kind === "RuleS2S") ruleAffected(keyOf(obj));
        else own(kind, keyOf(obj));
      }
    }
    // an update that leaves the inputs alone (labels, annotations, status) affects only itself
    if (c.before && c.after && !INPUTS[c.kind]?.some((path) => !jsonEqual(readPath(c.before, path), readPath(c.after, path)))) continue;
    switch (c.kind) {
      case "Service": {
        for (const v of [c.before, c.after]) for (const m of specMemberships(v)) t.mappings.add(m.agKey);
        for (const g of ctx.groupsOfService(c.key)) t.mappings.add(`${g.namespace}/${g.name}`);
        groupsOfServiceChanged(c.key);
        break;
      }
      case "AddressGroup":
        t.mappings.add(c.key);
        if (!c.after) t.cascade.add(c.key);
        break;
      case "AddressGroupBinding":
        for (const v of [c.before, c.after]) {
          const m = v && bindingMembership(v);
          if (!m) continue;
          t.mappings.add(m.agKey);
          groupsOfServiceChanged(m.serviceKey);
        }
        break;
      case "RuleS2S":
        ruleAffected(c.key);
        break;
      case "AddressGroupPortMapping":
        t.mappings.add(c.key);
        break;
      default:
        break;
    }
  }
  return t;
}
