/**
 * IEAgAgRule rules: transport (TCP|UDP) and traffic are required, action is optional ACCEPT|DROP,
 * priority is a non-negative int32, description at most 512 characters, and each `ports[]` entry
 * sets exactly one of `port` or `portRange` — the backend folds them into one destination string,
 * so an entry with both or neither has no single meaning.
 */
import { violation, type FieldViolation } from "../violations.ts";
import { MAX_DESCRIPTION, PROTOCOLS, RULE_ACTIONS, TRAFFIC } from "../../domain/domain-values.ts";
import { child, item } from "../../domain/field-path.ts";
import { checkEnum, checkInteger, checkOptionalBool, checkOptionalList, checkOptionalString } from "../validation/field-checks.ts";
import { asRecord, type JsonRecord } from "../../domain/json-access.ts";
import type { KindRules } from "../validation/kind-rules.ts";

const INT32_MAX = 2147483647;
const PORT_BOUNDS = { min: 1, max: 65535, required: true } as const;

function validatePortRange(value: unknown, field: string): FieldViolation[] {
  const range = asRecord(value);
  if (!range) return [violation.invalid(field, "must be an object {from, to}")];
  const out = [...checkInteger(range.from, child(field, "from"), PORT_BOUNDS), ...checkInteger(range.to, child(field, "to"), PORT_BOUNDS)];
  if (out.length === 0 && (range.from as number) > (range.to as number)) {
    out.push(violation.invalid(field, `from (${String(range.from)}) must not be greater than to (${String(range.to)})`));
  }
  return out;
}

function validatePorts(spec: JsonRecord): FieldViolation[] {
  const out: FieldViolation[] = [];
  checkOptionalList(spec.ports, "spec.ports", out).forEach((raw, i) => {
    const field = item("spec.ports", i);
    const entry = asRecord(raw);
    if (!entry) {
      out.push(violation.invalid(field, "must be an object with either port or portRange"));
      return;
    }
    const hasPort = entry.port !== undefined && entry.port !== null;
    const hasRange = entry.portRange !== undefined && entry.portRange !== null;
    if (hasPort && hasRange) out.push(violation.invalid(field, "exactly one of port or portRange must be set, not both"));
    else if (!hasPort && !hasRange) out.push(violation.required(field, "exactly one of port or portRange must be set"));
    else if (hasPort) out.push(...checkInteger(entry.port, child(field, "port"), PORT_BOUNDS));
    else out.push(...validatePortRange(entry.portRange, child(field, "portRange")));
  });
  return out;
}

/** IEAgAgRule: see the file comment. */
export const ieAgAgRuleRules: KindRules = {
  validateObject: (_obj, spec) => [
    ...checkOptionalString(spec.description, "spec.description", MAX_DESCRIPTION),
    ...checkEnum(spec.transport, "spec.transport", PROTOCOLS, true),
    ...checkEnum(spec.traffic, "spec.traffic", TRAFFIC, true),
    ...checkEnum(spec.action, "spec.action", RULE_ACTIONS, false),
    ...checkInteger(spec.priority, "spec.priority", { min: 0, max: INT32_MAX, required: false }),
    ...checkOptionalBool(spec.trace, "spec.trace"),
    ...checkOptionalBool(spec.logs, "spec.logs"),
    ...validatePorts(spec),
  ],
};
