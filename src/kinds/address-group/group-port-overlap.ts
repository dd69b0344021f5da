/**
 * Port overlap between a Service and the other Services that share an AddressGroup with it.
 * Netguard builds one AddressGroupPortMapping per group listing every member Service's ports; two
 * members exposing the same protocol/port would make that mapping ambiguous, so such writes are
 * rejected — whether the sharing comes from `spec.addressGroups` or from a binding.
 */
import { splitKey } from "../../domain/object-key.ts";
import type { Membership } from "./address-group-membership.ts";
import { describeRange, portClashes, servicePortEntries, type PortClash, type ServicePortEntry } from "../../domain/service-ports.ts";
import type { StateView } from "../../domain/state-view.ts";

/** A clash with another member of a shared group. */
export interface GroupPortClash extends PortClash {
  agKey: string;
  otherServiceKey: string;
}

/**
 * Clashes between `ports` (of Service `serviceKey`) and every other Service that `membersOf` places
 * in one of `agKeys`. The other Services' ports are read from `state`.
 */
export function groupPortClashes(
  serviceKey: string,
  ports: readonly ServicePortEntry[],
  agKeys: Iterable<string>,
  membersOf: (agKey: string) => readonly Membership[],
  state: StateView,
): GroupPortClash[] {
  if (ports.length === 0) return [];
  const out: GroupPortClash[] = [];
  for (const agKey of new Set(agKeys)) {
    const others = new Set(membersOf(agKey).filter((m) => m.serviceKey !== serviceKey).map((m) => m.serviceKey));
    for (const otherKey of [...others].sort()) {
      const id = splitKey(otherKey);
      const other = id && state.get("Service", id.namespace, id.name);
      if (!other) continue;
      for (const c of portClashes(ports, servicePortEntries(other))) out.push({ ...c, agKey, otherServiceKey: otherKey });
    }
  }
  return out;
}

/**
 * "TCP 8081 overlaps TCP 8080-8081 of Service shop/backend in AddressGroup shop/ag-backend"; with
 * `serviceKey`, both Services are named: "TCP 8081 of Service shop/api overlaps TCP 8080-8081 of …".
 */
export function describeGroupClash(c: GroupPortClash, serviceKey?: string): string {
  const mine = serviceKey ? ` of Service ${serviceKey}` : "";
  return (
    `${describeRange(c.mine.protocol, c.ranges[0])}${mine} overlaps ${describeRange(c.theirs.protocol, c.ranges[1])} ` +
    `of Service ${c.otherServiceKey} in AddressGroup ${c.agKey}`
  );
}
