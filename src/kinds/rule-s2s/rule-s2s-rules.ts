/**
 * RuleS2S rules: `traffic` is required (INGRESS|EGRESS); the local Service must be in the rule's own
 * namespace (a rule speaks for its namespace's Service; the target may be elsewhere); and there is
 * at most one rule per (traffic, local Service, target Service), because generated IEAgAgRules are
 * keyed by that triple and a second rule would fight over them.
 */
import { TRAFFIC } from "../../domain/domain-values.ts";
import { checkEnum, checkOptionalBool } from "../validation/field-checks.ts";
import { readPath } from "../../domain/json-access.ts";
import type { KindRules } from "../validation/kind-rules.ts";
import { refKeyAt } from "../../domain/references.ts";

/** "traffic|local ns/name|target ns/name". */
function ruleKey(obj: unknown): string | undefined {
  const traffic = readPath(obj, ["spec", "traffic"]);
  const local = refKeyAt(obj, ["spec", "serviceLocalRef"]);
  const target = refKeyAt(obj, ["spec", "serviceRef"]);
  return typeof traffic === "string" && local && target ? `${traffic}|${local}|${target}` : undefined;
}

/** RuleS2S: see the file comment. */
export const ruleS2SRules: KindRules = {
  sameNamespaceRefs: [{ path: "spec.serviceLocalRef", reason: "the local Service must be in the rule's namespace" }],
  uniqueness: { field: "spec", key: ruleKey, describe: "the same traffic, local Service and target Service" },
  validateObject: (_obj, spec) => [...checkEnum(spec.traffic, "spec.traffic", TRAFFIC, true), ...checkOptionalBool(spec.trace, "spec.trace")],
};
