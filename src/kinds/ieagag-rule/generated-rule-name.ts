/**
 * Names of generated IEAgAgRules, exactly as upstream netguard-pg-backend computes them:
 * `<ing|egr>-<h>` where `<h>` is the first 16 bytes of
 * SHA-256("<traffic lower>-<localAG name>-<targetAG name>-<protocol lower>") as lower-case hex in
 * 8-4-4-4-12 groups. The name is a pure function of the combination, so regenerating a rule
 * always finds the object it wrote before.
 *
 * Upstream hashes AddressGroup *names* only, without namespaces; two combinations that differ only
 * in an AddressGroup's namespace would get the same object. The derive step refuses such a write
 * instead of letting one combination silently overwrite the other (see generated-rules.ts).
 */
import { sha256Hex } from "../../domain/sha256.ts";

/** The combination a generated rule stands for. */
export interface RuleCombination {
  traffic: "INGRESS" | "EGRESS";
  localAg: { namespace: string; name: string };
  targetAg: { namespace: string; name: string };
  protocol: "TCP" | "UDP";
}

/** Names already computed: every derive pass names the rules of all Ready RuleS2S again. */
const nameCache = new Map<string, string>();
const NAME_CACHE_LIMIT = 50_000;

/** "egr-97877b71-97e2-9550-1be1-6cf5b857d9d6". */
export function generatedRuleName(c: RuleCombination): string {
  const input = `${c.traffic.toLowerCase()}-${c.localAg.name}-${c.targetAg.name}-${c.protocol.toLowerCase()}`;
  const cached = nameCache.get(input);
  if (cached) return cached;
  const hex = sha256Hex(input).slice(0, 32);
  const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
  const name = `${c.traffic === "INGRESS" ? "ing" : "egr"}-${uuid}`;
  if (nameCache.size >= NAME_CACHE_LIMIT) nameCache.clear();
  nameCache.set(input, name);
  return name;
}

/** The namespace of the generated rule: the local group's for INGRESS, the target group's for EGRESS. */
export function generatedRuleNamespace(c: RuleCombination): string {
  return c.traffic === "INGRESS" ? c.localAg.namespace : c.targetAg.namespace;
}

/** "INGRESS|shop/ag-a|shop/ag-b|TCP": the identity used to aggregate contributions. */
export function combinationKey(c: RuleCombination): string {
  return `${c.traffic}|${c.localAg.namespace}/${c.localAg.name}|${c.targetAg.namespace}/${c.targetAg.name}|${c.protocol}`;
}

/** True for names of the generated shape (used to tell generated rules from hand-written ones). */
export function isGeneratedRuleName(name: string): boolean {
  return /^(ing|egr)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(name);
}
