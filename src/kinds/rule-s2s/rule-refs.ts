/**
 * The generated IEAgAgRules a RuleS2S names in `status.ieAgAgRuleRefs`. The write path uses them
 * twice: as the rules a change may stop contributing to (affected-targets.ts), and, indexed, to
 * find every contributor of one generated rule without analysing all RuleS2S (generated-rules.ts).
 */
import type { KubeObject } from "../../kinds/model.ts";
import { asArray, readPath } from "../../domain/json-access.ts";
import { refKey } from "../../domain/references.ts";

/** Names ("namespace/name") of the generated rules a stored RuleS2S says it contributes to. */
export function storedRuleRefs(rule: KubeObject | undefined): string[] {
  const refs = asArray(readPath(rule, ["status", "ieAgAgRuleRefs"])) ?? [];
  return refs.map((r) => refKey(r)).filter((k): k is string => k !== undefined);
}
