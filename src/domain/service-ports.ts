/**
 * A Service's ingress ports as parsed ranges per protocol, and the overlap test between two port
 * sets. Overlap is what netguard forbids inside one Service and between Services sharing an
 * AddressGroup: the AddressGroupPortMapping of a group must map each protocol/port to one Service.
 */
import { PROTOCOLS } from "./domain-values.ts";
import { child, item } from "./field-path.ts";
import { asArray, asRecord, readPath } from "./json-access.ts";
import { findOverlap, formatRange, parsePortList, type PortRange } from "./port-syntax.ts";

/** One well-formed `spec.ingressPorts[i]` entry. */
export interface ServicePortEntry {
  protocol: string;
  /** The port string as written ("80,443"). */
  text: string;
  ranges: PortRange[];
  /** Its field path, "spec.ingressPorts[i].port". */
  field: string;
}

/** The well-formed ingress port entries of a Service; malformed entries are skipped (reported elsewhere). */
export function servicePortEntries(service: unknown): ServicePortEntry[] {
  const list = asArray(readPath(service, ["spec", "ingressPorts"])) ?? [];
  const out: ServicePortEntry[] = [];
  list.forEach((raw, i) => {
    const e = asRecord(raw);
    if (!e || typeof e.protocol !== "string" || !(PROTOCOLS as readonly string[]).includes(e.protocol)) return;
    if (typeof e.port !== "string") return;
    const parsed = parsePortList(e.port);
    if (!parsed.ok) return;
    out.push({ protocol: e.protocol, text: e.port, ranges: parsed.ranges, field: child(item("spec.ingressPorts", i), "port") });
  });
  return out;
}

/** An overlap between one of our entries and one of theirs. */
export interface PortClash {
  mine: ServicePortEntry;
  theirs: ServicePortEntry;
  /** The overlapping pair of ranges (ours, theirs). */
  ranges: [PortRange, PortRange];
}

/** Every (ours, theirs) entry pair with the same protocol and overlapping ranges. */
export function portClashes(mine: readonly ServicePortEntry[], theirs: readonly ServicePortEntry[]): PortClash[] {
  const out: PortClash[] = [];
  for (const a of mine) {
    for (const b of theirs) {
      if (a.protocol !== b.protocol) continue;
      const pair = findOverlap(a.ranges, b.ranges);
      if (pair) out.push({ mine: a, theirs: b, ranges: pair });
    }
  }
  return out;
}

/** "TCP 8080-8081". */
export function describeRange(protocol: string, r: PortRange): string {
  return `${protocol} ${formatRange(r)}`;
}
