/**
 * IEAgAgRule derive hooks: the rules generated from Ready RuleS2S are server-managed objects
 * (generated-rules.ts), and every IEAgAgRule is deleted with an AddressGroup it references
 * (upstream: FK ON DELETE CASCADE).
 */
import { jsonEqual } from "../model.ts";
import { keyOf } from "../derive-helpers.ts";
import type { KindDerive } from "../kind-derive.ts";
import { RULE_S2S_KIND } from "../rule-s2s/kind-name.ts";
import { storedRuleRefs } from "../rule-s2s/rule-refs.ts";
import { allGeneratedRuleKeys, GENERATED_LABEL, GENERATED_LABEL_VALUE, generatedRuleDraft, generatedRuleSpec, isGeneratedRule } from "./generated-rules.ts";
import { IEAGAG_RULE_KIND } from "./kind-name.ts";

/** IEAgAgRule: see the file comment. */
export const ieAgAgRuleDerive: KindDerive = {
  inputs: [],
  cascadeDelete: true,
  managed: {
    // a generated rule exists while some Ready RuleS2S contributes to its combination
    desired(key, ctx) {
      const draft = generatedRuleDraft(ctx, key);
      if (!draft) return undefined;
      return {
        shape(next, current) {
          const spec = generatedRuleSpec(draft);
          if (current && !jsonEqual(current.spec ?? {}, spec)) next.metadata.generation = (current.metadata.generation ?? 1) + 1;
          next.spec = spec;
          next.metadata.labels = { ...(next.metadata.labels ?? {}), [GENERATED_LABEL]: GENERATED_LABEL_VALUE };
        },
      };
    },
    *allKeys(ctx) {
      yield* allGeneratedRuleKeys(ctx);
      for (const r of ctx.state.list(RULE_S2S_KIND)) yield* storedRuleRefs(r);
      for (const r of ctx.state.list(IEAGAG_RULE_KIND)) if (isGeneratedRule(r)) yield keyOf(r);
    },
  },
};
