/**
 * Field-level validation results, shared by the backend (which maps them to INVALID_ARGUMENT with
 * `ValidationDetails`) and the API server (which maps them to a Kubernetes `Status` with
 * `details.causes`). Reasons use Kubernetes cause types so the mapping is the identity.
 */

export type ViolationReason =
  | "FieldValueRequired"
  | "FieldValueInvalid"
  | "FieldValueNotSupported"
  | "FieldValueDuplicate"
  | "FieldValueForbidden"
  | "FieldValueNotFound"
  | "FieldValueTooLong";

export interface FieldViolation {
  /** Kubernetes-style path: "metadata.name", "spec.ingressPorts[0].port". */
  field: string;
  reason: ViolationReason;
  message: string;
}

/** Shorthand constructors, so rule code reads like the rule. */
export const violation = {
  required: (field: string, message = "Required value"): FieldViolation => ({ field, reason: "FieldValueRequired", message }),
  invalid: (field: string, message: string): FieldViolation => ({ field, reason: "FieldValueInvalid", message }),
  notSupported: (field: string, value: unknown, allowed: readonly string[]): FieldViolation => ({
    field,
    reason: "FieldValueNotSupported",
    message: `Unsupported value: ${JSON.stringify(value)}: supported values: ${allowed.map((a) => `"${a}"`).join(", ")}`,
  }),
  duplicate: (field: string, message: string): FieldViolation => ({ field, reason: "FieldValueDuplicate", message }),
  forbidden: (field: string, message: string): FieldViolation => ({ field, reason: "FieldValueForbidden", message }),
  notFound: (field: string, message: string): FieldViolation => ({ field, reason: "FieldValueNotFound", message }),
  tooLong: (field: string, max: number): FieldViolation => ({
    field,
    reason: "FieldValueTooLong",
    message: `Too long: may not be more than ${max} bytes`,
  }),
};
