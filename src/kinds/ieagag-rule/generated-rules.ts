/**
 * The IEAgAgRules generated from Ready RuleS2S, as upstream netguard-pg-backend generates them: one per combination
 * `traffic|localAG|targetAG|protocol` that at least one Ready rule contributes to. Ports are the
 * sorted union of every contribution (cross-rule aggregation); `trace` is true only when every
 * contributor has `trace: true`; action ACCEPT, logs true, priority 100 (persisted here, unlike
 * upstream's PostgreSQL store which dropped priority and logs).
 *
 * Generated rules carry the label `netguard.sgroups.io/generated-from: RuleS2S`, so they can be told
 * apart from hand-written ones (`-l netguard.sgroups.io/generated-from`). The object is identified by
 * its name alone, as upstream does: a hand-written rule that happens to carry a generated name is
 * taken over by the next regeneration of that combination.
 */
import { API_VERSION, type KubeObject } from "../../kinds/model.ts";
import { violation } from "../../kinds/violations.ts";
import { invalid } from "../../domain/engine-error.ts";
import { cmp, type DeriveContext } from "../../domain/derive-context.ts";
import type { RuleCombination } from "./generated-rule-name.ts";
import { analyzeRule, type Contribution } from "../rule-s2s/rule-combinations.ts";
import { storedRuleRefs } from "../rule-s2s/rule-refs.ts";
import { findBy } from "../../domain/state-lookup.ts";
import type { IndexSpec } from "../../domain/state-view.ts";
import { normalizeRanges } from "../../domain/service-port-ranges.ts";

export const GENERATED_LABEL = "netguard.sgroups.io/generated-from";
export const GENERATED_LABEL_VALUE = "RuleS2S";
export const GENERATED_PRIORITY = 100;

/** Everything that makes up one generated rule. */
export interface GeneratedRuleDraft {
  namespace: string;
  name: string;
  combination: RuleCombination;
  contributions: Contribution[];
}

interface GeneratedIndex {
  drafts: Map<string, GeneratedRuleDraft>;
  /** Object keys claimed by more than one combination (AddressGroup names equal, namespaces not). */
  collisions: Map<string, Set<string>>;
}

/** Every Ready rule's contributions grouped by generated object key (once per pass). */
function generatedIndex(ctx: DeriveContext): GeneratedIndex {
  return ctx.memo("generatedIndex", () => {
    const drafts = new Map<string, GeneratedRuleDraft>();
    const collisions = new Map<string, Set<string>>();
    for (const rule of ctx.state.list("RuleS2S")) {
      for (const c of analyzeRule(ctx, rule).contributions) {
        const key = `${c.namespace}/${c.name}`;
        const d = drafts.get(key);
        if (!d) drafts.set(key, { namespace: c.namespace, name: c.name, combination: c.combination, contributions: [c] });
        else {
          d.contributions.push(c);
          if (d.contributions[0]!.comboKey !== c.comboKey) {
            const set = collisions.get(key) ?? new Set<string>();
            for (const x of d.contributions) set.add(x.comboKey);
            collisions.set(key, set);
          }
        }
      }
    }
    for (const d of drafts.values()) d.contributions.sort((a, b) => cmp(a.ruleKey, b.ruleKey));
    return { drafts, collisions };
  });
}

/** RuleS2S indexed by the generated rules their `status.ieAgAgRuleRefs` name. */
const RULE_REFS_INDEX: IndexSpec = { name: "ieAgAgRuleRefs", keys: storedRuleRefs };

/**
 * The contributions to generated object `key` alone, for the write path: its contributors are the
 * RuleS2S whose `ieAgAgRuleRefs` name it. By the time generated rules are derived, every rule the
 * batch affects has had its refs recomputed (RuleS2S precede IEAgAgRule in kind-table order) and
 * an unaffected rule's refs are current by definition, so the index finds them all — at the cost
 * of the contributors, not of every RuleS2S of the store.
 */
function draftOf(ctx: DeriveContext, key: string): GeneratedIndex {
  return ctx.memo(`draft:${key}`, () => {
    const drafts = new Map<string, GeneratedRuleDraft>();
    const collisions = new Map<string, Set<string>>();
    const rules = findBy(ctx.state, "RuleS2S", RULE_REFS_INDEX, key).sort((a, b) =>
      cmp(`${a.metadata.namespace}/${a.metadata.name}`, `${b.metadata.namespace}/${b.metadata.name}`),
    );
    for (const rule of rules) {
      for (const c of analyzeRule(ctx, rule).contributions) {
        if (`${c.namespace}/${c.name}` !== key) continue;
        const d = drafts.get(key);
        if (!d) drafts.set(key, { namespace: c.namespace, name: c.name, combination: c.combination, contributions: [c] });
        else {
          d.contributions.push(c);
          if (d.contributions[0]!.comboKey !== c.comboKey) collisions.set(key, new Set(d.contributions.map((x) => x.comboKey)));
        }
      }
    }
    for (const d of drafts.values()) d.contributions.sort((a, b) => cmp(a.ruleKey, b.ruleKey));
    return { drafts, collisions };
  });
}

/** The draft for generated object `key` ("ns/name"), or undefined when nothing contributes to it. */
export function generatedRuleDraft(ctx: DeriveContext, key: string): GeneratedRuleDraft | undefined {
  const index = ctx.wholeState ? generatedIndex(ctx) : draftOf(ctx, key);
  const clash = index.collisions.get(key);
  if (clash) {
    const combos = [...clash].sort(cmp);
    const rules = [...new Set(index.drafts.get(key)!.contributions.map((c) => c.ruleKey))].sort(cmp).join(", ");
    throw invalid("IEAgAgRule", key, [
      violation.invalid(
        "spec",
        `generated IEAgAgRule ${key} would stand for more than one combination (${combos.join(" and ")}), contributed by RuleS2S ${rules}: ` +
          "generated names hash AddressGroup names without namespaces, so AddressGroups with equal names in different namespaces cannot be paired with the same group",
      ),
    ]);
  }
  return index.drafts.get(key);
}

/** All generated object keys of the state (deriveAll). */
export function allGeneratedRuleKeys(ctx: DeriveContext): string[] {
  return [...generatedIndex(ctx).drafts.keys()].sort(cmp);
}

const agRef = (g: { namespace: string; name: string }) => ({ apiVersion: API_VERSION, kind: "AddressGroup", name: g.name, namespace: g.namespace });

/** The spec of a generated rule (canonical: false booleans absent, as they read back). */
export function generatedRuleSpec(d: GeneratedRuleDraft): Record<string, unknown> {
  const ranges = normalizeRanges(d.contributions.flatMap((c) => c.ranges));
  const spec: Record<string, unknown> = {
    transport: d.combination.protocol,
    traffic: d.combination.traffic,
    addressGroupLocal: agRef(d.combination.localAg),
    addressGroup: agRef(d.combination.targetAg),
    ports: ranges.map((r) => (r.start === r.end ? { port: r.start } : { portRange: { from: r.start, to: r.end } })),
    action: "ACCEPT",
    logs: true,
    priority: GENERATED_PRIORITY,
  };
  if (d.contributions.every((c) => c.trace)) spec.trace = true;
  return spec;
}

/** True when `obj` is a rule this server generated (carries the generated-from label). */
export function isGeneratedRule(obj: KubeObject): boolean {
  return obj.metadata.labels?.[GENERATED_LABEL] === GENERATED_LABEL_VALUE;
}
