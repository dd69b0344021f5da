/**
 * AddressGroupPortMapping `accessPorts`: one item per Service in the group (by spec or binding),
 * sorted by Service namespace/name, each with its ports per protocol as sorted ranges printed "N"
 * or "A-B". The mapping is the group's single source of "which port belongs to which Service", so
 * two Services claiming the same port in one group is refused (normally already by validation;
 * checked again here because a mapping must never be written ambiguous).
 */
import { API_VERSION } from "../../kinds/model.ts";
import { findOverlap, formatRange } from "../../domain/port-syntax.ts";
import { splitKey } from "../../domain/object-key.ts";
import { describeRange } from "../../domain/service-ports.ts";
import { violation } from "../../kinds/violations.ts";
import { invalid } from "../../domain/engine-error.ts";
import type { DeriveContext } from "../../domain/derive-context.ts";
import { PROTOCOL_ORDER } from "../../domain/service-port-ranges.ts";
import { servicesInGroup } from "../address-group/group-members.ts";
import { portsOf } from "../service/ports-of.ts";

/** The field value for AddressGroup `groupKey` (canonical: absent when the group has no Services). */
export function accessPortsOf(ctx: DeriveContext, groupKey: string): { items: unknown[] } | undefined {
  const services = servicesInGroup(ctx, groupKey);
  if (services.length === 0) return undefined;
  checkNoOverlap(ctx, groupKey, services);
  const items = services.map((serviceKey) => {
    const id = splitKey(serviceKey)!;
    const ports: Record<string, { port: string }[]> = {};
    const own = portsOf(ctx, serviceKey);
    for (const p of PROTOCOL_ORDER) {
      const ranges = own[p];
      if (ranges?.length) ports[p] = ranges.map((r) => ({ port: formatRange(r) }));
    }
    return { apiVersion: API_VERSION, kind: "Service", name: id.name, namespace: id.namespace, ports };
  });
  return { items };
}

function checkNoOverlap(ctx: DeriveContext, groupKey: string, services: readonly string[]): void {
  for (let j = 0; j < services.length; j++) {
    for (let i = 0; i < j; i++) {
      for (const p of PROTOCOL_ORDER) {
        const clash = findOverlap(portsOf(ctx, services[j]!)[p] ?? [], portsOf(ctx, services[i]!)[p] ?? []);
        if (!clash) continue;
        const message =
          `${describeRange(p, clash[0])} of Service ${services[j]} overlaps ${describeRange(p, clash[1])} of Service ${services[i]} ` +
          `in AddressGroup ${groupKey}`;
        throw invalid("AddressGroupPortMapping", groupKey, [violation.invalid("accessPorts.items", message)]);
      }
    }
  }
}
