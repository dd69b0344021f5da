/**
 * Service rules. Ports: protocol TCP|UDP, a port string of at most 32 characters, no duplicate or
 * overlapping entries per protocol. Address groups: no duplicates, no group that a binding already
 * gives to a Service, and no port overlap with other Services sharing a group. The Service is in
 * use while aliases, bindings or rules point at it (a delete leaves it Terminating until they are
 * gone); upstream's Sync Delete also refuses a Service that still lists groups of its own.
 */
import { violation, type FieldViolation } from "../violations.ts";
import { bindingMembership, bindingMembershipsOfService, membershipsOfGroup, specMemberships, type Membership } from "../address-group/address-group-membership.ts";
import { child, item } from "../../domain/field-path.ts";
import { MAX_DESCRIPTION, PROTOCOLS } from "../../domain/domain-values.ts";
import { checkEnum, checkOptionalList, checkOptionalString, checkPortString } from "../validation/field-checks.ts";
import { describeGroupClash, groupPortClashes } from "../address-group/group-port-overlap.ts";
import { asArray, asRecord, readPath, type JsonRecord } from "../../domain/json-access.ts";
import type { KindRules } from "../validation/kind-rules.ts";
import { keyOfObject } from "../../domain/object-identity.ts";
import { findOverlap, findSelfOverlap } from "../../domain/port-syntax.ts";
import { refKey, refKeyAt } from "../../domain/references.ts";
import { describeRange, servicePortEntries } from "../../domain/service-ports.ts";
import { byObjectKey, findBy, refIndex } from "../../domain/state-lookup.ts";
import type { StateView } from "../../domain/state-view.ts";

function validateIngressPorts(spec: JsonRecord): FieldViolation[] {
  const out: FieldViolation[] = [];
  checkOptionalList(spec.ingressPorts, "spec.ingressPorts", out).forEach((raw, i) => {
    const field = item("spec.ingressPorts", i);
    const entry = asRecord(raw);
    if (!entry) {
      out.push(violation.invalid(field, "must be an object {protocol, port, description}"));
      return;
    }
    out.push(...checkEnum(entry.protocol, child(field, "protocol"), PROTOCOLS, true));
    out.push(...checkPortString(entry.port, child(field, "port")));
    out.push(...checkOptionalString(entry.description, child(field, "description"), MAX_DESCRIPTION));
  });
  return out;
}

/** Duplicate protocol+port strings and overlapping ranges of one protocol inside this Service. */
function validatePortConflicts(obj: unknown): FieldViolation[] {
  const out: FieldViolation[] = [];
  const entries = servicePortEntries(obj);
  entries.forEach((e, j) => {
    const self = findSelfOverlap(e.ranges);
    if (self) {
      out.push(violation.invalid(e.field, `${describeRange(e.protocol, self[0])} overlaps ${describeRange(e.protocol, self[1])} in the same entry`));
    }
    for (let i = 0; i < j; i++) {
      const prev = entries[i]!;
      if (prev.protocol !== e.protocol) continue;
      if (prev.text === e.text) {
        out.push(violation.duplicate(e.field, `duplicate port ${e.protocol}/${e.text} (also at ${prev.field})`));
        break;
      }
      const clash = findOverlap(e.ranges, prev.ranges);
      if (clash) {
        out.push(
          violation.invalid(e.field, `${describeRange(e.protocol, clash[0])} overlaps ${describeRange(e.protocol, clash[1])} at ${prev.field}`),
        );
        break;
      }
    }
  });
  return out;
}

function validateAddressGroupDuplicates(spec: JsonRecord): FieldViolation[] {
  const out: FieldViolation[] = [];
  const seen = new Map<string, string>();
  (asArray(spec.addressGroups) ?? []).forEach((ref, i) => {
    const key = refKey(ref);
    if (!key) return;
    const field = item("spec.addressGroups", i);
    const first = seen.get(key);
    if (first) out.push(violation.duplicate(field, `duplicate AddressGroup ${key} (also at ${first})`));
    else seen.set(key, field);
  });
  return out;
}

function validateServiceWrite(obj: unknown, state: StateView): FieldViolation[] {
  const serviceKey = keyOfObject(obj);
  if (!serviceKey) return [];
  // This Service's stored spec list is replaced by the one being written.
  const membersOf = (agKey: string) => membershipsOfGroup(state, agKey).filter((m) => !(m.via === "spec" && m.serviceKey === serviceKey));
  const out: FieldViolation[] = [];

  (asArray(readPath(obj, ["spec", "addressGroups"])) ?? []).forEach((ref, i) => {
    const agKey = refKey(ref);
    if (!agKey) return;
    const bound = membersOf(agKey).find((m) => m.via === "binding");
    if (bound) {
      out.push(
        violation.forbidden(
          item("spec.addressGroups", i),
          `AddressGroup ${agKey} already belongs to Service ${bound.serviceKey} via AddressGroupBinding ${bound.bindingKey ?? "?"}`,
        ),
      );
    }
  });

  const ownGroups = [
    ...specMemberships(obj).map((m) => m.agKey),
    ...bindingMembershipsOfService(state, serviceKey).map((m) => m.agKey),
  ];
  for (const clash of groupPortClashes(serviceKey, servicePortEntries(obj), ownGroups, membersOf, state)) {
    out.push(violation.invalid(clash.mine.field, describeGroupClash(clash, serviceKey)));
  }
  return out;
}

function serviceUsers(obj: unknown, state: StateView): string[] {
  const key = keyOfObject(obj);
  if (!key) return [];
  const out: string[] = [];
  const referrers = (kind: string) => byObjectKey(findBy(state, kind, refIndex(kind, "Service"), key));
  for (const alias of referrers("ServiceAlias")) {
    if (refKeyAt(alias, ["spec", "serviceRef"]) === key) out.push(`Service ${key} is referenced by ServiceAlias ${keyOfObject(alias) ?? "?"}`);
  }
  for (const binding of referrers("AddressGroupBinding")) {
    const m: Membership | undefined = bindingMembership(binding);
    if (m?.serviceKey === key) out.push(`Service ${key} is bound to AddressGroup ${m.agKey} by AddressGroupBinding ${m.bindingKey ?? "?"}`);
  }
  for (const rule of referrers("RuleS2S")) {
    for (const path of ["serviceLocalRef", "serviceRef"]) {
      if (refKeyAt(rule, ["spec", path]) === key) {
        out.push(`Service ${key} is referenced by RuleS2S ${keyOfObject(rule) ?? "?"} (spec.${path})`);
      }
    }
  }
  return out;
}

/** Upstream refused a Sync Delete of a Service that still lists groups; the Delete RPC does not. */
function ownGroupsBlocker(obj: unknown): string[] {
  const key = keyOfObject(obj);
  const groups = asArray(readPath(obj, ["spec", "addressGroups"])) ?? [];
  if (!key || groups.length === 0) return [];
  const names = groups.map((g) => refKey(g) ?? "?").join(", ");
  return [`Service ${key} still lists address groups in spec.addressGroups (${names}); remove them first`];
}

/** Service: see the file comment. */
export const serviceRules: KindRules = {
  listRefs: ["spec.addressGroups"],
  validateObject: (obj, spec) => [
    ...checkOptionalString(spec.description, "spec.description", MAX_DESCRIPTION),
    ...validateIngressPorts(spec),
    ...validatePortConflicts(obj),
    ...validateAddressGroupDuplicates(spec),
  ],
  validateWrite: (obj, _old, state) => validateServiceWrite(obj, state),
  usedBy: serviceUsers,
  syncDeleteBlockers: ownGroupsBlocker,
};
