/**
 * A Service's ingress ports as sorted, de-duplicated ranges per protocol. Both the port mapping of
 * an AddressGroup and generated IEAgAgRules list ports in this order, so the same input always
 * yields byte-identical derived objects (upstream kept them in a Go map and re-ordered them on
 * every read, which made every diff spurious).
 */
import type { KubeObject } from "../kinds/model.ts";
import type { PortRange } from "./port-syntax.ts";
import { servicePortEntries } from "./service-ports.ts";

export type Protocol = "TCP" | "UDP";
export const PROTOCOL_ORDER: readonly Protocol[] = ["TCP", "UDP"];

/** Ranges per protocol; a protocol without ports is absent. */
export type ServicePorts = Partial<Record<Protocol, PortRange[]>>;

/** Sorts by start then end and drops exact duplicates. */
export function normalizeRanges(ranges: Iterable<PortRange>): PortRange[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start || a.end - b.end);
  return sorted.filter((r, i) => i === 0 || r.start !== sorted[i - 1]!.start || r.end !== sorted[i - 1]!.end);
}

/** The ports of a Service (absent Service: none). Comma lists contribute one range per element. */
export function servicePortsOf(service: KubeObject | undefined): ServicePorts {
  if (!service) return {};
  const out: ServicePorts = {};
  for (const p of PROTOCOL_ORDER) {
    const ranges = servicePortEntries(service)
      .filter((e) => e.protocol === p)
      .flatMap((e) => e.ranges);
    if (ranges.length) out[p] = normalizeRanges(ranges);
  }
  return out;
}
