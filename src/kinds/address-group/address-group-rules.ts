/**
 * AddressGroup rules: `defaultAction` is required (ACCEPT|DROP) because sgroups needs a verdict for
 * traffic no rule matches. The group is in use while a Service lists it or a binding targets it
 * (its port mapping and the Services' aggregated groups would dangle), so a delete leaves it
 * Terminating until then. IEAgAgRules naming it do not hold it: they are deleted with it.
 */
import { violation, type FieldViolation } from "../violations.ts";
import { describeVia, membershipsOfGroup } from "./address-group-membership.ts";
import { RULE_ACTIONS } from "../../domain/domain-values.ts";
import { child, item } from "../../domain/field-path.ts";
import { checkEnum, checkOptionalBool, checkOptionalList } from "../validation/field-checks.ts";
import { asRecord, type JsonRecord } from "../../domain/json-access.ts";
import type { KindRules } from "../validation/kind-rules.ts";
import { keyOfObject } from "../../domain/object-identity.ts";
import type { StateView } from "../../domain/state-view.ts";

/** `spec.hosts` are Host ObjectReferences (no namespace); Hosts themselves are out of scope. */
function validateHosts(spec: JsonRecord): FieldViolation[] {
  const out: FieldViolation[] = [];
  checkOptionalList(spec.hosts, "spec.hosts", out).forEach((raw, i) => {
    const field = item("spec.hosts", i);
    const ref = asRecord(raw);
    if (!ref) out.push(violation.invalid(field, "must be an object reference {apiVersion, kind, name}"));
    else if (typeof ref.name !== "string" || ref.name === "") out.push(violation.required(child(field, "name")));
  });
  return out;
}

function addressGroupUsers(obj: unknown, state: StateView): string[] {
  const key = keyOfObject(obj);
  if (!key) return [];
  return membershipsOfGroup(state, key).map((m) => `AddressGroup ${key} is used by Service ${m.serviceKey} ${describeVia(m)}`);
}

/** AddressGroup: see the file comment. */
export const addressGroupRules: KindRules = {
  validateObject: (_obj, spec) => [
    ...checkEnum(spec.defaultAction, "spec.defaultAction", RULE_ACTIONS, true),
    ...checkOptionalBool(spec.logs, "spec.logs"),
    ...checkOptionalBool(spec.trace, "spec.trace"),
    ...validateHosts(spec),
  ],
  usedBy: addressGroupUsers,
};
