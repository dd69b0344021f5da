/**
 * Port strings as written in Service `ingressPorts[].port` and AddressGroupPortMapping access
 * ports: a single port ("80"), a range ("8080-9090") or a comma list of both ("80,443,8000-8010").
 * Parsing turns them into inclusive ranges so that overlap checks (inside a Service, and between
 * Services sharing an AddressGroup) compare numbers, not strings. Reusable outside validation.
 */
import { formatPortRange, parsePortRange } from "../kinds/codecs.ts";

/** An inclusive port range; a single port has start === end. */
export interface PortRange {
  start: number;
  end: number;
}

/** Lowest port a port string may name (upstream accepts 0). */
export const MIN_PORT = 0;
/** Highest port. */
export const MAX_PORT = 65535;
/** Upstream limit on the length of a port string. */
export const MAX_PORT_STRING = 32;

/** The parsed ranges, or why the string is not a valid port list. */
export type PortListResult = { ok: true; ranges: PortRange[] } | { ok: false; error: string };

/**
 * Parses "80", "8080-9090" or "80,443,8000-8010". Every value must be within 0–65535 and every
 * range must have start ≤ end. Whitespace around elements is tolerated; empty elements are not.
 */
export function parsePortList(text: string): PortListResult {
  if (text.trim() === "") return { ok: false, error: "port must not be empty" };
  const ranges: PortRange[] = [];
  for (const part of text.split(",")) {
    const r = parsePortRange(part);
    if (!r) {
      return {
        ok: false,
        error: `invalid port "${part.trim()}": must be a port, a range "from-to", or a comma-separated list of them`,
      };
    }
    for (const v of [r.start, r.end]) {
      if (v < MIN_PORT || v > MAX_PORT) return { ok: false, error: `port ${v} is out of range ${MIN_PORT}-${MAX_PORT}` };
    }
    if (r.start > r.end) return { ok: false, error: `invalid range ${r.start}-${r.end}: start must not be greater than end` };
    ranges.push(r);
  }
  return { ok: true, ranges };
}

/** True when two inclusive ranges share at least one port. */
export function rangesOverlap(a: PortRange, b: PortRange): boolean {
  return a.start <= b.end && b.start <= a.end;
}

/** The first pair (one from each list) that overlaps, or undefined. */
export function findOverlap(a: readonly PortRange[], b: readonly PortRange[]): [PortRange, PortRange] | undefined {
  for (const x of a) for (const y of b) if (rangesOverlap(x, y)) return [x, y];
  return undefined;
}

/** The first overlapping pair inside one list (e.g. "80-90,85"), or undefined. */
export function findSelfOverlap(ranges: readonly PortRange[]): [PortRange, PortRange] | undefined {
  for (let i = 0; i < ranges.length; i++) {
    for (let j = i + 1; j < ranges.length; j++) {
      if (rangesOverlap(ranges[i]!, ranges[j]!)) return [ranges[i]!, ranges[j]!];
    }
  }
  return undefined;
}

/** "80" or "8080-9090". */
export function formatRange(r: PortRange): string {
  return formatPortRange(r);
}
