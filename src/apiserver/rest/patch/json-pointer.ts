/**
 * JSON Pointer (RFC 6901) parsing for JSON patch: "/spec/ingressPorts/0/port" → segments, with
 * "~1" → "/" and "~0" → "~" unescaped.
 */

/** The unescaped segments of `pointer`; undefined when it is not a valid pointer. */
export function parsePointer(pointer: string): string[] | undefined {
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) return undefined;
  const segs = pointer.slice(1).split("/");
  for (const s of segs) if (/~[^01]|~$/.test(s)) return undefined;
  return segs.map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** An array index segment: decimal without leading zeros ("-" is handled by callers). */
export function arrayIndex(seg: string): number | undefined {
  return /^(0|[1-9]\d*)$/.test(seg) ? Number(seg) : undefined;
}
