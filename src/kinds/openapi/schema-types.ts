/**
 * The subset of OpenAPI 3.0 schema objects the API server publishes, and small constructors for
 * them. The same schema values are served to clients (`kubectl explain`, client-side tooling) and
 * walked by the server for field validation, so both always agree on what a field is.
 */

/** An OpenAPI 3.0 schema object (only the keywords this API uses). */
export interface Schema {
  type?: "object" | "array" | "string" | "integer" | "number" | "boolean";
  format?: string;
  description?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  required?: string[];
  enum?: (string | number | boolean)[];
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  default?: unknown;
  allOf?: Schema[];
  $ref?: string;
  readOnly?: boolean;
  nullable?: boolean;
  "x-kubernetes-preserve-unknown-fields"?: boolean;
  "x-kubernetes-list-type"?: string;
  "x-kubernetes-list-map-keys"?: string[];
  "x-kubernetes-map-type"?: string;
  "x-kubernetes-group-version-kind"?: { group: string; version: string; kind: string }[];
}

/** Prefix of every component reference. */
export const COMPONENTS_PREFIX = "#/components/schemas/";

/** A `$ref` to a component schema. */
export function ref(name: string): Schema {
  return { $ref: COMPONENTS_PREFIX + name };
}

/**
 * A reference with its own description. OpenAPI 3.0 ignores siblings of `$ref`, so Kubernetes wraps
 * the reference in `allOf`; `kubectl explain` then shows both the field's description and the type.
 */
export function refWithDescription(name: string, description: string, extra: Partial<Schema> = {}): Schema {
  return { description, allOf: [ref(name)], ...extra };
}

/** Scalar, list and map schema constructors; `description` is mandatory so every field is documented. */
export const str = (description: string, extra: Partial<Schema> = {}): Schema => ({ type: "string", description, ...extra });
export const bool = (description: string): Schema => ({ type: "boolean", description });
export const int32 = (description: string, extra: Partial<Schema> = {}): Schema => ({ type: "integer", format: "int32", description, ...extra });
export const int64 = (description: string, extra: Partial<Schema> = {}): Schema => ({ type: "integer", format: "int64", description, ...extra });
export const enumOf = (values: readonly string[], description: string): Schema => ({ type: "string", enum: [...values], description });
export const listOf = (items: Schema, description: string, extra: Partial<Schema> = {}): Schema => ({ type: "array", description, items, ...extra });
export const stringMap = (description: string): Schema => ({ type: "object", description, additionalProperties: { type: "string", default: "" } });

/** An object schema; `required` lists mandatory properties. */
export function object(description: string, properties: Record<string, Schema>, required: string[] = []): Schema {
  const s: Schema = { type: "object", description, properties };
  if (required.length) s.required = required;
  return s;
}
