/**
 * ServiceAlias rules: an alias names a Service of its own namespace. It is in use while a
 * RuleS2S reference has the alias's key (namespace/name): upstream compares keys only, whatever kind
 * the rule's reference says, because old manifests pointed rules at aliases.
 */
import type { KindRules } from "../validation/kind-rules.ts";
import { keyOfObject } from "../../domain/object-identity.ts";
import { refKeyAt } from "../../domain/references.ts";
import { byObjectKey, findBy, refIndex } from "../../domain/state-lookup.ts";
import type { StateView } from "../../domain/state-view.ts";

function aliasUsers(obj: unknown, state: StateView): string[] {
  const key = keyOfObject(obj);
  if (!key) return [];
  const out: string[] = [];
  // rules reference Services by kind-table; an alias is found by its key among those references
  for (const rule of byObjectKey(findBy(state, "RuleS2S", refIndex("RuleS2S", "Service"), key))) {
    for (const path of ["serviceLocalRef", "serviceRef"]) {
      if (refKeyAt(rule, ["spec", path]) === key) {
        out.push(`ServiceAlias ${key} is referenced by RuleS2S ${keyOfObject(rule) ?? "?"} (spec.${path})`);
      }
    }
  }
  return out;
}

/** ServiceAlias: see the file comment. */
export const serviceAliasRules: KindRules = {
  sameNamespaceRefs: [{ path: "spec.serviceRef", reason: "an alias must be in its Service's namespace" }],
  usedBy: aliasUsers,
};
