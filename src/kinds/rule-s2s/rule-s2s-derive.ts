/**
 * RuleS2S derive hooks: `status.ieAgAgRuleRefs` (the generated IEAgAgRules the rule contributes
 * to), readiness from the rule's analysis, and — whenever the rule or anything it depends on
 * changes — every generated rule it contributed to before or contributes to now.
 */
import { splitKey } from "../../domain/object-key.ts";
import { cmp } from "../../domain/derive-context.ts";
import { setOrDelete, statusOf } from "../derive-helpers.ts";
import { IEAGAG_RULE_KIND } from "../ieagag-rule/kind-name.ts";
import type { KindDerive } from "../kind-derive.ts";
import { API_VERSION } from "../model.ts";
import { RULE_S2S_KIND } from "./kind-name.ts";
import { analyzeRule } from "./rule-combinations.ts";
import { storedRuleRefs } from "./rule-refs.ts";

/** RuleS2S: see the file comment. */
export const ruleS2SDerive: KindDerive = {
  inputs: [["spec"]],
  synced: true,
  fields(obj, _key, ctx) {
    const names = new Map<string, { apiVersion: string; kind: string; name: string; namespace: string }>();
    for (const c of analyzeRule(ctx, obj).contributions) {
      names.set(`${c.namespace}/${c.name}`, { apiVersion: API_VERSION, kind: IEAGAG_RULE_KIND, name: c.name, namespace: c.namespace });
    }
    const refs = [...names.entries()].sort(([a], [b]) => cmp(a, b)).map(([, r]) => r);
    setOrDelete(statusOf(obj), "ieAgAgRuleRefs", refs.length ? refs : undefined);
  },
  notReady: (obj, _key, ctx) => analyzeRule(ctx, obj).problems,
  affects: (c, t) => t.affected(RULE_S2S_KIND, c.key),
  onAffected(key, t) {
    const current = t.ctx.get(RULE_S2S_KIND, key);
    const id = splitKey(key);
    const old = id && t.committed.get(RULE_S2S_KIND, id.namespace, id.name);
    for (const k of [...storedRuleRefs(old), ...storedRuleRefs(current)]) t.managed(IEAGAG_RULE_KIND, k);
    if (current) for (const c of analyzeRule(t.ctx, current).contributions) t.managed(IEAGAG_RULE_KIND, `${c.namespace}/${c.name}`);
  },
};
