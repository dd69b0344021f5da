/**
 * Server-side field validation (`fieldValidation` query parameter), against the same schemas the
 * OpenAPI document publishes. kubectl 1.32 relies on it instead of validating on the client:
 * Strict rejects unknown fields with 400 ("strict decoding error: unknown field \"spec.foo\""),
 * Warn (the default) drops them and answers with a Warning header per field, Ignore drops them
 * silently. Status and the kind's read-only derived fields are declared in the schema, so a
 * manifest taken from `kubectl get -o yaml` is not reported.
 */
import type { KindDescriptor } from "../../../kinds/kind-table.ts";
import { kindSchemaName } from "../../openapi/schema-components.ts";
import { findUnknownFields } from "../../openapi/schema-walk.ts";
import { statusError } from "../../status.ts";
import type { FieldValidation } from "../params/query-options.ts";

/**
 * Applies `mode` to `obj` (mutated: unknown fields are removed unless Strict rejects the request).
 * Returns the warnings to send.
 */
export function applyFieldValidation(kind: KindDescriptor, obj: Record<string, unknown>, mode: FieldValidation): string[] {
  const unknown = findUnknownFields(obj, kindSchemaName(kind), mode !== "Strict");
  if (unknown.length === 0) return [];
  const messages = unknown.map((p) => `unknown field ${JSON.stringify(p)}`);
  if (mode === "Strict") throw statusError.badRequest(`strict decoding error: ${messages.join(", ")}`);
  return mode === "Warn" ? messages : [];
}
