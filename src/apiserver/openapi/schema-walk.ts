/**
 * Walks request bodies against the published schemas: which fields are unknown (for
 * `fieldValidation` Strict/Warn/Ignore, reported with Kubernetes paths such as
 * "spec.ingressPorts[0].foo"), and which values have the wrong JSON type. Protobuf cannot carry a
 * number where a string belongs, so such values are rejected here before conversion.
 */
import type { FieldViolation } from "../../kinds/violations.ts";
import { componentSchemas } from "./schema-components.ts";
import { COMPONENTS_PREFIX, type Schema } from "../../kinds/openapi/schema-types.ts";

/** A schema with `$ref` and `allOf` resolved into one set of keywords. */
function resolve(s: Schema, schemas: Record<string, Schema>, depth = 0): Schema {
  if (depth > 32) return {};
  let out: Schema = s;
  if (s.$ref) {
    const target = schemas[s.$ref.slice(COMPONENTS_PREFIX.length)];
    if (!target) throw new Error(`unresolved schema reference ${s.$ref}`);
    out = resolve(target, schemas, depth + 1);
  }
  if (s.allOf?.length) {
    const merged: Schema = { ...s };
    delete merged.allOf;
    for (const part of s.allOf) {
      const r = resolve(part, schemas, depth + 1);
      merged.type ??= r.type;
      merged.format ??= r.format;
      merged.items ??= r.items;
      merged.enum ??= r.enum;
      merged.additionalProperties ??= r.additionalProperties;
      merged["x-kubernetes-preserve-unknown-fields"] ??= r["x-kubernetes-preserve-unknown-fields"];
      if (r.properties) merged.properties = { ...(merged.properties ?? {}), ...r.properties };
    }
    out = merged;
  }
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

const child = (path: string, key: string) => (path ? `${path}.${key}` : key);

function walkUnknown(value: unknown, s: Schema, path: string, prune: boolean, out: string[], schemas: Record<string, Schema>): void {
  const r = resolve(s, schemas);
  if (r["x-kubernetes-preserve-unknown-fields"]) return;
  if (Array.isArray(value)) {
    if (r.items) value.forEach((v, i) => walkUnknown(v, r.items!, `${path}[${i}]`, prune, out, schemas));
    return;
  }
  if (!isObject(value)) return;
  if (r.properties) {
    for (const key of Object.keys(value)) {
      // Own keys only: a client's `__proto__` or `constructor` is an unknown field, not Object.prototype.
      const ps = Object.hasOwn(r.properties, key) ? r.properties[key] : undefined;
      if (ps) walkUnknown(value[key], ps, child(path, key), prune, out, schemas);
      else if (r.additionalProperties === undefined || r.additionalProperties === false) {
        out.push(child(path, key));
        if (prune) delete value[key];
      }
    }
  } else if (typeof r.additionalProperties === "object") {
    for (const key of Object.keys(value)) walkUnknown(value[key], r.additionalProperties, child(path, key), prune, out, schemas);
  }
}

/**
 * Paths of fields in `value` that component schema `schemaName` does not declare. With `prune`,
 * those fields are also removed from `value` (Warn and Ignore drop unknown fields).
 */
export function findUnknownFields(value: unknown, schemaName: string, prune = false): string[] {
  const schemas = componentSchemas();
  const root = schemas[schemaName];
  if (!root) throw new Error(`no schema ${schemaName}`);
  const out: string[] = [];
  walkUnknown(value, root, "", prune, out, schemas);
  return out;
}

function typeOk(value: unknown, type: Schema["type"]): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "boolean":
      return typeof value === "boolean";
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "array":
      return Array.isArray(value);
    case "object":
      return isObject(value);
    default:
      return true;
  }
}

function jsonTypeName(value: unknown): string {
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function walkTypes(value: unknown, s: Schema, path: string, out: FieldViolation[], schemas: Record<string, Schema>): void {
  if (value === null || value === undefined) return;
  const r = resolve(s, schemas);
  if (r["x-kubernetes-preserve-unknown-fields"] && !r.properties) return;
  if (r.type && !typeOk(value, r.type)) {
    out.push({ field: path, reason: "FieldValueInvalid", message: `Invalid value: "${jsonTypeName(value)}": must be of type ${r.type}` });
    return;
  }
  if (r.enum && !r.enum.includes(value as string)) {
    out.push({
      field: path,
      reason: "FieldValueNotSupported",
      message: `Unsupported value: ${JSON.stringify(value)}: supported values: ${r.enum.map((e) => JSON.stringify(e)).join(", ")}`,
    });
    return;
  }
  if (Array.isArray(value)) {
    if (r.items) value.forEach((v, i) => walkTypes(v, r.items!, `${path}[${i}]`, out, schemas));
    return;
  }
  if (!isObject(value)) return;
  for (const [key, v] of Object.entries(value)) {
    const ps = (r.properties && Object.hasOwn(r.properties, key) ? r.properties[key] : undefined) ?? (typeof r.additionalProperties === "object" ? r.additionalProperties : undefined);
    if (ps) walkTypes(v, ps, child(path, key), out, schemas);
  }
}

/**
 * Values whose JSON type (or enum value) contradicts component schema `schemaName`. Unknown fields
 * are not reported here (see `findUnknownFields`); null counts as absent.
 */
export function findTypeViolations(value: unknown, schemaName: string): FieldViolation[] {
  const schemas = componentSchemas();
  const root = schemas[schemaName];
  if (!root) throw new Error(`no schema ${schemaName}`);
  const out: FieldViolation[] = [];
  walkTypes(value, root, "", out, schemas);
  return out;
}

/** Whether a dotted path exists in schema `schemaName` (for consistency checks against the kind table). */
export function schemaHasPath(schemaName: string, path: readonly string[]): boolean {
  const schemas = componentSchemas();
  let cur: Schema | undefined = schemas[schemaName];
  for (const seg of path) {
    if (!cur) return false;
    const r = resolve(cur, schemas);
    cur = r.properties && Object.hasOwn(r.properties, seg) ? r.properties[seg] : undefined;
  }
  return cur !== undefined;
}
