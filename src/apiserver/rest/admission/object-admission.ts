/**
 * Admission of an object before it is sent to the backend: field validation (unknown fields), JSON
 * type checks against the schema, and the stateless netguard validation (`validateObject`). The
 * backend validates again, statefully; this step exists because protobuf cannot carry what is
 * wrong (an unknown enum string, a number where a string belongs) and because the API server must
 * answer 422 Invalid with per-field causes before anything is converted.
 */
import type { KindDescriptor } from "../../../kinds/kind-table.ts";
import type { KubeObject } from "../../../kinds/model.ts";
import { validateObject } from "../../../kinds/validation/index.ts";
import type { FieldViolation } from "../../../kinds/violations.ts";
import { kindSchemaName } from "../../openapi/schema-components.ts";
import { findTypeViolations } from "../../openapi/schema-walk.ts";
import { statusError } from "../../status.ts";
import { applyFieldValidation } from "./field-validation.ts";
import type { FieldValidation } from "../params/query-options.ts";
import { isJsonObject } from "./request-body.ts";

/** True when one path is the other or lies inside it ("spec.a" and "spec.a[0].b"). */
function overlaps(a: string, b: string): boolean {
  const inside = (x: string, y: string) => x === y || x.startsWith(`${y}.`) || x.startsWith(`${y}[`);
  return inside(a, b) || inside(b, a);
}

/** `primary` plus those of `extra` about fields `primary` does not already report. */
function mergeViolations(primary: FieldViolation[], extra: FieldViolation[]): FieldViolation[] {
  return [...primary, ...extra.filter((x) => !primary.some((p) => overlaps(p.field, x.field)))];
}

function displayName(obj: Record<string, unknown>): string {
  const meta = isJsonObject(obj.metadata) ? obj.metadata : {};
  return typeof meta.name === "string" && meta.name ? meta.name : typeof meta.generateName === "string" ? meta.generateName : "";
}

/** The admitted object (unknown fields dropped) and the warnings to send with the answer. */
export interface AdmissionResult {
  object: KubeObject;
  warnings: string[];
}

/**
 * Admits a whole object (create, update, apply, patch result). `obj` is mutated (unknown fields
 * dropped). Throws 400 (Strict unknown fields) or 422 Invalid with causes.
 */
export function admitObject(kind: KindDescriptor, obj: Record<string, unknown>, mode: FieldValidation): AdmissionResult {
  const warnings = applyFieldValidation(kind, obj, mode);
  const violations = mergeViolations(validateObject(kind, obj as unknown as KubeObject), findTypeViolations(obj, kindSchemaName(kind)));
  if (violations.length) throw statusError.invalid(kind.kind, displayName(obj), violations);
  return { object: obj as unknown as KubeObject, warnings };
}

/**
 * Admits a status write: only `status` (and the resourceVersion/uid preconditions) of `obj` are
 * used, so only those are type-checked; spec validation belongs to the main resource.
 */
export function admitStatus(kind: KindDescriptor, obj: Record<string, unknown>, mode: FieldValidation): AdmissionResult {
  const warnings = applyFieldValidation(kind, obj, mode);
  const relevant = (f: string) => f === "status" || f.startsWith("status.") || f === "metadata.resourceVersion" || f === "metadata.uid";
  const violations = findTypeViolations(obj, kindSchemaName(kind)).filter((v) => relevant(v.field));
  if (violations.length) throw statusError.invalid(kind.kind, displayName(obj), violations);
  return { object: obj as unknown as KubeObject, warnings };
}
