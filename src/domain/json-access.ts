/**
 * Defensive readers for untrusted JSON. Validation receives whatever a client sent (numbers where
 * strings belong, arrays where objects belong, null), so every rule reads through these helpers
 * instead of trusting the `KubeObject` type, and never throws.
 */

/** A JSON object (not an array, not null). */
export type JsonRecord = Record<string, unknown>;

/** The value as a JSON object, or undefined when it is anything else (array, null, scalar). */
export function asRecord(v: unknown): JsonRecord | undefined {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as JsonRecord) : undefined;
}

/** The value as an array, or undefined. */
export function asArray(v: unknown): readonly unknown[] | undefined {
  return Array.isArray(v) ? v : undefined;
}

/** A non-empty string, or undefined. Used for identity fields where "" means "not set". */
export function asNonEmptyString(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

/**
 * True for "not given": undefined, null, and the empty string. Kubernetes clients omit zero values
 * (`omitempty`), so "" and absent must be treated alike or round-tripped objects would change meaning.
 */
export function isUnset(v: unknown): boolean {
  return v === undefined || v === null || v === "";
}

/** The value at a path of object keys (own properties only), tolerating garbage on the way. */
export function readPath(obj: unknown, path: readonly string[]): unknown {
  let cur: unknown = obj;
  for (const seg of path) {
    const rec = asRecord(cur);
    if (!rec || !Object.hasOwn(rec, seg)) return undefined;
    cur = rec[seg];
  }
  return cur;
}

/** The object's spec as a record; `{}` when absent or malformed (the malformation is reported elsewhere). */
export function specOf(obj: unknown): JsonRecord {
  return asRecord(asRecord(obj)?.spec) ?? {};
}
