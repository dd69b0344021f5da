/**
 * What one RuleS2S contributes to the IEAgAgRules the backend generates (ieagag-rule/generated-rules.ts
 * aggregates the contributions, as upstream netguard-pg-backend does).
 *
 * A rule is Ready when both of its Services exist and each belongs to at least one AddressGroup
 * (spec or binding; upstream looked at the spec list only). A Ready rule contributes, for every
 * (local group, target group) pair and every protocol in which its *port-source* Service has
 * ports, that Service's port ranges to the combination `traffic|localAG|targetAG|protocol`. The
 * port source is the local Service for INGRESS and the target Service for EGRESS.
 */
import type { KubeObject } from "../../kinds/model.ts";
import type { PortRange } from "../../domain/port-syntax.ts";
import { readPath } from "../../domain/json-access.ts";
import { refKeyAt } from "../../domain/references.ts";
import type { DeriveContext } from "../../domain/derive-context.ts";
import { combinationKey, generatedRuleName, generatedRuleNamespace, type RuleCombination } from "../ieagag-rule/generated-rule-name.ts";
import { PROTOCOL_ORDER } from "../../domain/service-port-ranges.ts";
import { groupsOfService } from "../address-group/group-members.ts";
import { portsOf } from "../service/ports-of.ts";

/** One contribution of one rule to one combination. */
export interface Contribution {
  combination: RuleCombination;
  comboKey: string;
  /** Generated rule identity. */
  namespace: string;
  name: string;
  ranges: PortRange[];
  trace: boolean;
  ruleKey: string;
}

export interface RuleAnalysis {
  ready: boolean;
  /** Why the rule is not Ready (empty when it is). */
  problems: string[];
  contributions: Contribution[];
}

const IEAGAG_PORT_MIN = 1;

/** Service ports may include 0; IEAgAgRule ports are 1–65535, so ranges are clipped to that. */
function usableRanges(ranges: readonly PortRange[] | undefined): PortRange[] {
  return (ranges ?? []).filter((r) => r.end >= IEAGAG_PORT_MIN).map((r) => (r.start < IEAGAG_PORT_MIN ? { start: IEAGAG_PORT_MIN, end: r.end } : r));
}

/** The analysis of `rule`, which must be the version the context's state holds (memoised per key). */
export function analyzeRule(ctx: DeriveContext, rule: KubeObject): RuleAnalysis {
  const ruleKey = `${rule.metadata.namespace}/${rule.metadata.name}`;
  return ctx.memo(`rule:${ruleKey}`, () => compute(ctx, rule, ruleKey));
}

function compute(ctx: DeriveContext, rule: KubeObject, ruleKey: string): RuleAnalysis {
  const traffic = readPath(rule, ["spec", "traffic"]);
  const localKey = refKeyAt(rule, ["spec", "serviceLocalRef"]);
  const targetKey = refKeyAt(rule, ["spec", "serviceRef"]);
  const problems: string[] = [];
  if (traffic !== "INGRESS" && traffic !== "EGRESS") problems.push("spec.traffic must be INGRESS or EGRESS");
  for (const [what, key] of [["local", localKey], ["target", targetKey]] as const) {
    if (!key) problems.push(`the ${what} Service reference is incomplete`);
    else if (!ctx.get("Service", key)) problems.push(`${what} Service ${key} not found`);
    else if (groupsOfService(ctx, key).length === 0) problems.push(`${what} Service ${key} belongs to no AddressGroup`);
  }
  if (problems.length) return { ready: false, problems, contributions: [] };

  const t = traffic as "INGRESS" | "EGRESS";
  const portSource = t === "INGRESS" ? localKey! : targetKey!;
  const ports = portsOf(ctx, portSource);
  const trace = readPath(rule, ["spec", "trace"]) === true;
  const contributions: Contribution[] = [];
  for (const local of groupsOfService(ctx, localKey!)) {
    for (const target of groupsOfService(ctx, targetKey!)) {
      for (const protocol of PROTOCOL_ORDER) {
        const ranges = usableRanges(ports[protocol]);
        if (ranges.length === 0) continue;
        const combination: RuleCombination = {
          traffic: t,
          localAg: { namespace: local.namespace, name: local.name },
          targetAg: { namespace: target.namespace, name: target.name },
          protocol,
        };
        contributions.push({
          combination,
          comboKey: combinationKey(combination),
          namespace: generatedRuleNamespace(combination),
          name: generatedRuleName(combination),
          ranges,
          trace,
          ruleKey,
        });
      }
    }
  }
  return { ready: true, problems: [], contributions };
}
