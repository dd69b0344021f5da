/**
 * AddressGroupPortMapping rules. The mapping is fully derived by the server (one per AddressGroup,
 * same name and namespace, listing each member Service's ports; src/backend/derive/): clients
 * cannot create or delete one — it comes and goes with its AddressGroup — and an update may change
 * labels and annotations only (`accessPorts` is read-only). Upstream let clients write it and then
 * silently overwrote the result at the next regeneration; refusing says so up front.
 *
 * The shape of `accessPorts.items` is still checked (API server dry runs, old stores): each item
 * references a Service, its per-protocol port strings use the Service port syntax (descriptions
 * ≤ 256), and ranges of different Services must not overlap within a protocol.
 */
import { violation, type FieldViolation } from "../violations.ts";
import { child, item } from "../../domain/field-path.ts";
import { MAX_PORT_DESCRIPTION, PROTOCOLS } from "../../domain/domain-values.ts";
import { checkOptionalList, checkOptionalString, checkPortString } from "../validation/field-checks.ts";
import { asRecord, readPath } from "../../domain/json-access.ts";
import type { KindRules } from "../validation/kind-rules.ts";
import { findOverlap, parsePortList, type PortRange } from "../../domain/port-syntax.ts";
import { checkReference } from "../validation/reference-syntax.ts";
import { refKey } from "../../domain/references.ts";
import { describeRange } from "../../domain/service-ports.ts";

interface ItemPorts {
  serviceKey: string;
  protocol: string;
  ranges: PortRange[];
  field: string;
}

function validateItem(raw: unknown, field: string, collected: ItemPorts[]): FieldViolation[] {
  const out = checkReference(raw, field, "Service");
  const it = asRecord(raw);
  if (!it) return out;
  const portsField = child(field, "ports");
  if (it.ports === undefined || it.ports === null) return [...out, violation.required(portsField)];
  const ports = asRecord(it.ports);
  if (!ports) return [...out, violation.invalid(portsField, "must be an object {TCP: [...], UDP: [...]}")];
  for (const [protocol, list] of Object.entries(ports)) {
    const protoField = child(portsField, protocol);
    if (!(PROTOCOLS as readonly string[]).includes(protocol)) {
      out.push(violation.notSupported(protoField, protocol, PROTOCOLS));
      continue;
    }
    checkOptionalList(list, protoField, out).forEach((rawPort, j) => {
      const pf = item(protoField, j);
      const p = asRecord(rawPort);
      if (!p) {
        out.push(violation.invalid(pf, "must be an object {port, description}"));
        return;
      }
      const errs = [...checkPortString(p.port, child(pf, "port")), ...checkOptionalString(p.description, child(pf, "description"), MAX_PORT_DESCRIPTION)];
      out.push(...errs);
      const key = refKey(it);
      const parsed = typeof p.port === "string" ? parsePortList(p.port) : undefined;
      if (key && parsed?.ok) collected.push({ serviceKey: key, protocol, ranges: parsed.ranges, field: child(pf, "port") });
    });
  }
  return out;
}

function validateAccessPorts(obj: unknown): FieldViolation[] {
  const raw = readPath(obj, ["accessPorts"]);
  if (raw === undefined || raw === null) return [];
  const access = asRecord(raw);
  if (!access) return [violation.invalid("accessPorts", "must be an object {items: [...]}")];
  const out: FieldViolation[] = [];
  const collected: ItemPorts[] = [];
  checkOptionalList(access.items, "accessPorts.items", out).forEach((it, i) => out.push(...validateItem(it, item("accessPorts.items", i), collected)));
  collected.forEach((b, j) => {
    for (let i = 0; i < j; i++) {
      const a = collected[i]!;
      if (a.serviceKey === b.serviceKey || a.protocol !== b.protocol) continue;
      const clash = findOverlap(b.ranges, a.ranges);
      if (clash) {
        out.push(
          violation.invalid(
            b.field,
            `${describeRange(b.protocol, clash[0])} of Service ${b.serviceKey} overlaps ${describeRange(a.protocol, clash[1])} of Service ${a.serviceKey}`,
          ),
        );
        break;
      }
    }
  });
  return out;
}

/** Why a client may not create a mapping. */
export const MAPPING_CREATE_FORBIDDEN =
  "AddressGroupPortMapping objects are managed by the server: one is created with each AddressGroup (same name and namespace)";

/** AddressGroupPortMapping: see the file comment. */
export const addressGroupPortMappingRules: KindRules = {
  validateObject: (obj) => validateAccessPorts(obj),
  validateWrite: (_obj, old) => (old === undefined ? [violation.forbidden("metadata.name", MAPPING_CREATE_FORBIDDEN)] : []),
  deleteRefusals: (obj) => [
    `AddressGroupPortMapping ${obj.metadata?.namespace ?? "?"}/${obj.metadata?.name ?? "?"} is managed by the server: it is deleted with its AddressGroup`,
  ],
};
