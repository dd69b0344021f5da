/**
 * Query parameters of write and read requests, converted and validated the way kube-apiserver
 * does: booleans and integers follow apimachinery's query conversion (a malformed number is a 400
 * BadRequest with Go's strconv wording), and an unsupported or forbidden option value is a 422
 * Invalid on the options kind.
 */
import type { FieldViolation } from "../../../kinds/violations.ts";
import { statusBody, StatusError, statusError } from "../../status.ts";

/** How unknown fields in a request body are treated. */
export type FieldValidation = "Strict" | "Warn" | "Ignore";

/** Which options object a request carries (named in Invalid errors, as Kubernetes does). */
export type OptionsKind = "CreateOptions" | "UpdateOptions" | "PatchOptions" | "DeleteOptions" | "ListOptions";

/** A 422 Invalid about request options (details.group meta.k8s.io, as kube-apiserver answers). */
export function invalidOptions(kind: OptionsKind, violations: FieldViolation[]): StatusError {
  const errors = violations.map((v) => `${v.field}: ${v.message}`);
  // One error is printed bare, several as an aggregate in brackets (apimachinery's NewInvalid).
  const message = `${kind}.meta.k8s.io "" is invalid: ${errors.length === 1 ? errors[0] : `[${errors.join(", ")}]`}`;
  const body = statusBody(422, "Invalid", message, { kind }, violations.map((v) => ({ reason: v.reason, field: v.field, message: v.message })));
  body.details!.group = "meta.k8s.io";
  return new StatusError(body);
}

const notSupported = (field: string, value: string, allowed: string[]): FieldViolation => ({
  field,
  reason: "FieldValueNotSupported",
  message: `Unsupported value: ${JSON.stringify(value)}: supported values: ${allowed.map((a) => JSON.stringify(a)).join(", ")}`,
});

/** `dryRun=All` (the only valid value; repeated or absent is fine). */
export function parseDryRun(url: URL, kind: OptionsKind, extra: readonly unknown[] = []): boolean {
  const values = [...url.searchParams.getAll("dryRun"), ...extra.map(String)];
  const bad = values.filter((v) => v !== "All");
  if (bad.length) throw invalidOptions(kind, bad.map((v) => notSupported("dryRun", v, ["All"])));
  return values.length > 0;
}

/** `fieldValidation`: Strict, Warn (the default when absent) or Ignore. */
export function parseFieldValidation(url: URL, kind: OptionsKind): FieldValidation {
  const v = url.searchParams.get("fieldValidation");
  if (v === null || v === "") return "Warn";
  if (v === "Strict" || v === "Warn" || v === "Ignore") return v;
  throw invalidOptions(kind, [notSupported("fieldValidation", v, ["Ignore", "Warn", "Strict"])]);
}

/**
 * A boolean query parameter, converted like apimachinery's Convert_Slice_string_To_bool: absent,
 * `0` or a case-insensitive `false` is false; anything else — `True` (what the Python client
 * sends), `yes`, even an empty value — is true. Only the first value counts.
 */
export function queryFlag(url: URL, name: string): boolean {
  return queryOptionalFlag(url, name) ?? false;
}

/** A `*bool` query parameter (e.g. `sendInitialEvents`): undefined when absent, else as `queryFlag`. */
export function queryOptionalFlag(url: URL, name: string): boolean | undefined {
  const v = url.searchParams.get(name);
  if (v === null) return undefined;
  return !(v === "0" || v.toLowerCase() === "false");
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * An optional int64 query parameter (`limit`, `timeoutSeconds`), parsed like Go's
 * strconv.ParseInt(v, 10, 64), which is what kube-apiserver's query conversion uses: a sign is
 * allowed, anything else that is not decimal digits (an empty value too) or outside int64 is a
 * 400 BadRequest with Go's message. Values beyond 2^53 lose precision, which no caller minds.
 */
export function queryInt64(url: URL, name: string): number | undefined {
  const v = url.searchParams.get(name);
  if (v === null) return undefined;
  const quoted = JSON.stringify(v);
  if (!/^[+-]?\d+$/.test(v)) throw statusError.badRequest(`strconv.ParseInt: parsing ${quoted}: invalid syntax`);
  const n = BigInt(v);
  if (n < INT64_MIN || n > INT64_MAX) throw statusError.badRequest(`strconv.ParseInt: parsing ${quoted}: value out of range`);
  return Number(n);
}
