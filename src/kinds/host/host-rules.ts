/**
 * Host rules (upstream: the registry validator and the `hosts.uuid` UNIQUE column): `spec.uuid` is
 * a required UUID, unique across all Hosts (it identifies the agent); `status.hostName` is at most
 * 255 characters; `xIPList` holds IP addresses. A Host is in use while a HostBinding names it or an
 * AddressGroup lists it in `spec.hosts` (the group's hosts would dangle), so a delete leaves it
 * Terminating until then.
 */
import { item } from "../../domain/field-path.ts";
import { asRecord, readPath } from "../../domain/json-access.ts";
import { keyOfObject } from "../../domain/object-identity.ts";
import type { StateView } from "../../domain/state-view.ts";
import { hostBindingsNaming } from "../host-binding/host-binding-lookup.ts";
import { parseIp } from "../network/cidr.ts";
import { checkOptionalList, checkOptionalString } from "../validation/field-checks.ts";
import type { KindRules } from "../validation/kind-rules.ts";
import { violation, type FieldViolation } from "../violations.ts";
import { groupsListingHost } from "./host-membership.ts";
import { HOST_KIND } from "./kind-name.ts";

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
/** Most addresses one Host may list. */
export const MAX_HOST_IPS = 1024;
/** Longest `status.hostName` (upstream's registry validator). */
export const MAX_HOST_NAME = 255;

function validateUuid(value: unknown): FieldViolation[] {
  if (value === undefined || value === null || value === "") return [violation.required("spec.uuid")];
  if (typeof value !== "string" || !UUID.test(value)) return [violation.invalid("spec.uuid", "UUID must be in valid UUID format")];
  return [];
}

function validateIpList(value: unknown): FieldViolation[] {
  const out: FieldViolation[] = [];
  const items = checkOptionalList(value, "xIPList", out);
  if (items.length > MAX_HOST_IPS) return [violation.invalid("xIPList", `must have at most ${MAX_HOST_IPS} items`)];
  items.forEach((raw, i) => {
    const ip = asRecord(raw)?.ip;
    if (typeof ip !== "string" || !parseIp(ip)) out.push(violation.invalid(`${item("xIPList", i)}.ip`, "must be a valid IP address"));
  });
  return out;
}

/** The UUID of a Host in lower case, the key of UUID uniqueness. */
export function hostUuidKey(obj: unknown): string | undefined {
  const v = readPath(obj, ["spec", "uuid"]);
  return typeof v === "string" && UUID.test(v) ? v.toLowerCase() : undefined;
}

function hostUsers(obj: unknown, state: StateView): string[] {
  const key = keyOfObject(obj);
  if (!key) return [];
  return [
    ...hostBindingsNaming(state, HOST_KIND, key).map((b) => `Host ${key} is bound by HostBinding ${keyOfObject(b) ?? "?"}`),
    ...groupsListingHost(state, key).map((ag) => `Host ${key} is listed in spec.hosts of AddressGroup ${keyOfObject(ag) ?? "?"}`),
  ];
}

/** Host: see the file comment. */
export const hostRules: KindRules = {
  validateObject: (obj, spec) => [
    ...validateUuid(spec.uuid),
    ...checkOptionalString(readPath(obj, ["status", "hostName"]), "status.hostName", MAX_HOST_NAME),
    ...validateIpList(readPath(obj, ["xIPList"])),
  ],
  uniqueness: { field: "spec.uuid", key: hostUuidKey, describe: "the same UUID" },
  usedBy: hostUsers,
};
