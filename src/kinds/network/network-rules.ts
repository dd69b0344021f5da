/**
 * Network rules (upstream: the registry validator, `NetworkValidator` and the `networks.cidr` column
 * with its unique index): `spec.cidr` is required CIDR notation of a network address, and no two
 * Networks — in any namespace — have the same CIDR. A Network is in use while a NetworkBinding
 * names it (the group's networks would dangle), so a delete leaves it Terminating until then.
 */
import { keyOfObject } from "../../domain/object-identity.ts";
import { readPath } from "../../domain/json-access.ts";
import { bindingsNaming } from "../network-binding/network-binding-lookup.ts";
import type { KindRules } from "../validation/kind-rules.ts";
import { violation, type FieldViolation } from "../violations.ts";
import { parseCidr } from "./cidr.ts";
import type { StateView } from "../../domain/state-view.ts";
import { NETWORK_KIND } from "./kind-name.ts";

function validateCidr(value: unknown): FieldViolation[] {
  if (value === undefined || value === null || value === "") return [violation.required("spec.cidr")];
  if (typeof value !== "string") return [violation.invalid("spec.cidr", "must be a string")];
  const parsed = parseCidr(value);
  return typeof parsed === "string" ? [violation.invalid("spec.cidr", parsed)] : [];
}

/** The canonical CIDR of a Network, the key of CIDR uniqueness ("2001:0db8::/32" is "2001:db8::/32"). */
export function canonicalCidr(obj: unknown): string | undefined {
  const value = readPath(obj, ["spec", "cidr"]);
  const parsed = typeof value === "string" ? parseCidr(value) : undefined;
  return parsed && typeof parsed !== "string" ? parsed.canonical : undefined;
}

function networkUsers(obj: unknown, state: StateView): string[] {
  const key = keyOfObject(obj);
  if (!key) return [];
  return bindingsNaming(state, NETWORK_KIND, key).map((b) => `Network ${key} is bound by NetworkBinding ${keyOfObject(b) ?? "?"}`);
}

/** Network: see the file comment. */
export const networkRules: KindRules = {
  validateObject: (_obj, spec) => validateCidr(spec.cidr),
  uniqueness: { field: "spec.cidr", key: canonicalCidr, describe: "the same CIDR" },
  usedBy: networkUsers,
};
