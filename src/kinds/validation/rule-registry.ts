/**
 * Kind name → per-kind rules. The single place that knows which rule file belongs to which kind;
 * kinds without an entry get only the generic checks driven by the kind table.
 */
import { addressGroupBindingPolicyRules } from "./address-group-binding-policy-rules.ts";
import { addressGroupBindingRules } from "./address-group-binding-rules.ts";
import { addressGroupPortMappingRules } from "./address-group-port-mapping-rules.ts";
import { addressGroupRules } from "./address-group-rules.ts";
import { ieAgAgRuleRules } from "./ieagag-rule-rules.ts";
import type { KindRules } from "./kind-rules.ts";
import { ruleS2SRules } from "./rule-s2s-rules.ts";
import { serviceAliasRules } from "./service-alias-rules.ts";
import { serviceRules } from "./service-rules.ts";

const RULES: ReadonlyMap<string, KindRules> = new Map<string, KindRules>([
  ["Service", serviceRules],
  ["AddressGroup", addressGroupRules],
  ["AddressGroupBinding", addressGroupBindingRules],
  ["AddressGroupPortMapping", addressGroupPortMappingRules],
  ["RuleS2S", ruleS2SRules],
  ["ServiceAlias", serviceAliasRules],
  ["AddressGroupBindingPolicy", addressGroupBindingPolicyRules],
  ["IEAgAgRule", ieAgAgRuleRules],
]);

const NO_RULES: KindRules = {};

/** The rules of a kind; empty rules for a kind without specifics. */
export function rulesFor(kind: string): KindRules {
  return RULES.get(kind) ?? NO_RULES;
}
