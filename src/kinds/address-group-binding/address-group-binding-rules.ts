/**
 * AddressGroupBinding rules (upstream: registry validator, webhook and the PG trigger
 * `validate_service_ag_binding_conflicts`): one binding per Service/AddressGroup pair; a binding
 * into another namespace's group needs an AddressGroupBindingPolicy there (the group's owner opts
 * in); a group belongs to one Service only — not to a Service that lists it in spec, and not to a
 * second bound Service; and the Service's ports must not overlap the group's other members.
 */
import type { KubeObject } from "../model.ts";
import { violation, type FieldViolation } from "../violations.ts";
import { membershipsOfGroup } from "../address-group/address-group-membership.ts";
import { describeGroupClash, groupPortClashes } from "../address-group/group-port-overlap.ts";
import { readPath } from "../../domain/json-access.ts";
import type { KindRules } from "../validation/kind-rules.ts";
import { keyOfObject, namespaceOfObject } from "../../domain/object-identity.ts";
import { refIdentity, refKey, refKeyAt } from "../../domain/references.ts";
import { servicePortEntries } from "../../domain/service-ports.ts";
import { byObjectKey, findBy, singleKeyIndex } from "../../domain/state-lookup.ts";
import type { StateView } from "../../domain/state-view.ts";

/** "service|addressGroup" key shared by bindings and binding policies. */
export function servicePairKey(obj: unknown): string | undefined {
  const svc = refKeyAt(obj, ["spec", "serviceRef"]);
  const ag = refKeyAt(obj, ["spec", "addressGroupRef"]);
  return svc && ag ? `${svc}|${ag}` : undefined;
}

/** Bindings and binding policies indexed by their Service/AddressGroup pair. */
export const SERVICE_PAIR_INDEX = singleKeyIndex("servicePair", servicePairKey);

/** Objects of `kind` (bindings or policies) for exactly this Service/AddressGroup pair, sorted. */
export function objectsForPair(state: StateView, kind: string, pair: string): KubeObject[] {
  return byObjectKey(findBy(state, kind, SERVICE_PAIR_INDEX, pair));
}

/** True when a policy in the AddressGroup's namespace allows exactly this Service into this group. */
function policyAllows(state: StateView, agNamespace: string, pair: string): boolean {
  return objectsForPair(state, "AddressGroupBindingPolicy", pair).some((policy) => namespaceOfObject(policy) === agNamespace);
}

function validateBindingWrite(obj: unknown, state: StateView): FieldViolation[] {
  const svcRef = readPath(obj, ["spec", "serviceRef"]);
  const agRef = readPath(obj, ["spec", "addressGroupRef"]);
  const svc = refIdentity(svcRef);
  const ag = refIdentity(agRef);
  if (!svc || !ag) return [];
  const svcKey = refKey(svcRef)!;
  const agKey = refKey(agRef)!;
  const out: FieldViolation[] = [];

  const ns = namespaceOfObject(obj);
  if (ns && ag.namespace !== ns && !policyAllows(state, ag.namespace, `${svcKey}|${agKey}`)) {
    out.push(
      violation.forbidden(
        "spec.addressGroupRef",
        `cross-namespace binding not allowed: no AddressGroupBindingPolicy in namespace "${ag.namespace}" ` +
          `allows Service ${svcKey} to bind AddressGroup ${agKey}`,
      ),
    );
  }

  const selfKey = keyOfObject(obj);
  const membersOf = (key: string) => membershipsOfGroup(state, key).filter((m) => !(m.via === "binding" && m.bindingKey === selfKey));
  for (const m of membersOf(agKey)) {
    if (m.via === "spec") {
      out.push(violation.forbidden("spec.addressGroupRef", `AddressGroup ${agKey} already belongs to Service ${m.serviceKey} via spec.addressGroups`));
    } else if (m.serviceKey !== svcKey) {
      out.push(
        violation.forbidden(
          "spec.addressGroupRef",
          `AddressGroup ${agKey} already belongs to Service ${m.serviceKey} via AddressGroupBinding ${m.bindingKey ?? "?"}`,
        ),
      );
    }
  }

  const service = state.get("Service", svc.namespace, svc.name);
  if (service) {
    for (const clash of groupPortClashes(svcKey, servicePortEntries(service), [agKey], membersOf, state)) {
      out.push(violation.invalid("spec.serviceRef", `Service ${svcKey} ${clash.mine.field}: ${describeGroupClash(clash)}`));
    }
  }
  return out;
}

/** AddressGroupBinding: see the file comment. */
export const addressGroupBindingRules: KindRules = {
  // Upstream's client forced the Service namespace to the binding's; a binding is the Service
  // owner's request, so it lives with the Service (the AddressGroup side may be elsewhere, by policy).
  sameNamespaceRefs: [{ path: "spec.serviceRef", reason: "an AddressGroupBinding must live in its Service's namespace" }],
  uniqueness: { field: "spec", key: servicePairKey, describe: "the same Service and AddressGroup" },
  validateWrite: (obj, _old, state) => validateBindingWrite(obj, state),
};
