/**
 * HostBinding rules (upstream: the registry validator, the UNIQUE host column of `host_bindings`
 * and the trigger `validate_host_binding_conflicts`): a Host is bound at most once, and not at all
 * while an AddressGroup lists it in `spec.hosts` — a Host belongs to one group only.
 */
import { keyOfObject } from "../../domain/object-identity.ts";
import type { StateView } from "../../domain/state-view.ts";
import { groupsListingHost } from "../host/host-membership.ts";
import type { KindRules } from "../validation/kind-rules.ts";
import { violation, type FieldViolation } from "../violations.ts";
import { boundHostKey } from "./host-binding-lookup.ts";

function validateExclusive(obj: unknown, state: StateView): FieldViolation[] {
  const hostKey = boundHostKey(obj);
  if (!hostKey) return [];
  return groupsListingHost(state, hostKey).map((g) =>
    violation.forbidden("spec.hostRef", `Host ${hostKey} already belongs to AddressGroup ${keyOfObject(g) ?? "?"} via spec.hosts`),
  );
}

/** HostBinding: see the file comment. */
export const hostBindingRules: KindRules = {
  uniqueness: { field: "spec.hostRef", key: boundHostKey, describe: "the same Host (a Host is bound at most once)" },
  validateWrite: (obj, _old, state) => validateExclusive(obj, state),
};
