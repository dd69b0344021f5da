/**
 * Query parameters of write and read requests, validated the way kube-apiserver validates
 * Create/Update/Patch/DeleteOptions: an unsupported `dryRun` or `fieldValidation` value is a 422
 * Invalid on the options kind, and a malformed number is a 400.
 */
import type { FieldViolation } from "../../kinds/violations.ts";
import { statusBody, StatusError, statusError } from "../status.ts";

/** How unknown fields in a request body are treated. */
export type FieldValidation = "Strict" | "Warn" | "Ignore";

/** Which options object a request carries (named in Invalid errors, as Kubernetes does). */
export type OptionsKind = "CreateOptions" | "UpdateOptions" | "PatchOptions" | "DeleteOptions";

/** A 422 Invalid about request options (details.group meta.k8s.io, as kube-apiserver answers). */
export function invalidOptions(kind: OptionsKind, violations: FieldViolation[]): StatusError {
  const message = `${kind}.meta.k8s.io "" is invalid: ${violations.map((v) => `${v.field}: ${v.message}`).join(", ")}`;
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

/** A boolean query flag: "true"/"1" are true (watch=1 is what some clients send). */
export function queryFlag(url: URL, name: string): boolean {
  const v = url.searchParams.get(name);
  return v === "true" || v === "1";
}

/** An optional non-negative integer parameter; malformed → 400 BadRequest. */
export function queryInt(url: URL, name: string): number | undefined {
  const v = url.searchParams.get(name);
  if (v === null || v === "") return undefined;
  if (!/^\d+$/.test(v)) throw statusError.badRequest(`${name}: invalid value ${JSON.stringify(v)}: must be a non-negative integer`);
  return Number(v);
}
