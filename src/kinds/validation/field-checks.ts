/**
 * Typed checks for single spec fields (enums, bounded strings, booleans, integers). Per-kind rule
 * files are lists of these calls, so each rule reads like the API documentation, and a wrong JSON
 * type is reported as a violation instead of crashing later code.
 */
import { violation, type FieldViolation } from "../violations.ts";
import { isUnset } from "../../domain/json-access.ts";
import { MAX_PORT_STRING, parsePortList } from "../../domain/port-syntax.ts";

/** An enum string. Unset ("" or absent) is Required when `required`, otherwise fine. */
export function checkEnum(value: unknown, field: string, allowed: readonly string[], required: boolean): FieldViolation[] {
  if (isUnset(value)) return required ? [violation.required(field)] : [];
  if (typeof value !== "string" || !allowed.includes(value)) return [violation.notSupported(field, value, allowed)];
  return [];
}

/** An optional string of at most `max` characters. */
export function checkOptionalString(value: unknown, field: string, max: number): FieldViolation[] {
  if (value === undefined || value === null) return [];
  if (typeof value !== "string") return [violation.invalid(field, "must be a string")];
  if (value.length > max) return [violation.tooLong(field, max)];
  return [];
}

/** An optional boolean. */
export function checkOptionalBool(value: unknown, field: string): FieldViolation[] {
  if (value === undefined || value === null || typeof value === "boolean") return [];
  return [violation.invalid(field, "must be a boolean")];
}

/** An integer within [min, max]; absent is Required when `required`. */
export function checkInteger(
  value: unknown,
  field: string,
  bounds: { min: number; max: number; required: boolean },
): FieldViolation[] {
  if (value === undefined || value === null) return bounds.required ? [violation.required(field)] : [];
  if (typeof value !== "number" || !Number.isInteger(value)) return [violation.invalid(field, "must be an integer")];
  if (value < bounds.min || value > bounds.max) {
    return [violation.invalid(field, `must be between ${bounds.min} and ${bounds.max}, inclusive`)];
  }
  return [];
}

/** An optional list; reports a non-array value. Returns the items to check (empty when absent or invalid). */
export function checkOptionalList(value: unknown, field: string, out: FieldViolation[]): readonly unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    out.push(violation.invalid(field, "must be a list"));
    return [];
  }
  return value;
}

/** A required port string ("80", "8080-9090", "80,443"): at most 32 characters, values 0–65535, start ≤ end. */
export function checkPortString(value: unknown, field: string): FieldViolation[] {
  if (value === undefined || value === null || value === "") return [violation.required(field)];
  if (typeof value !== "string") return [violation.invalid(field, "must be a string")];
  if (value.length > MAX_PORT_STRING) return [violation.tooLong(field, MAX_PORT_STRING)];
  const parsed = parsePortList(value);
  return parsed.ok ? [] : [violation.invalid(field, parsed.error)];
}
