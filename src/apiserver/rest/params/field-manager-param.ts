/**
 * The manager a write is recorded under: the `fieldManager` query parameter, else — for non-apply
 * writes — the User-Agent up to its first `/` (so plain `kubectl/v1.32.0 ...` becomes `kubectl`), as
 * kube-apiserver derives it. The parameter is validated like Create/Update/PatchOptions: at most
 * 128 bytes, printable characters only; apply requires it.
 */
import type { FieldViolation } from "../../../kinds/violations.ts";
import { invalidOptions, type OptionsKind } from "./query-options.ts";

/** Kubernetes' FieldManagerMaxLength. */
export const FIELD_MANAGER_MAX_BYTES = 128;

const encoder = new TextEncoder();
/** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** Violations of a `fieldManager` value (byte positions, as Go reports them). */
export function fieldManagerViolations(value: string): FieldViolation[] {
  const errs: FieldViolation[] = [];
  if (encoder.encode(value).length > FIELD_MANAGER_MAX_BYTES) {
    errs.push({ field: "fieldManager", reason: "FieldValueTooLong", message: `Too long: may not be more than ${FIELD_MANAGER_MAX_BYTES} bytes` });
  }
  let offset = 0;
  for (const ch of value) {
    if (!PRINTABLE.test(ch)) {
      const code = `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
      errs.push({ field: "fieldManager", reason: "FieldValueInvalid", message: `Invalid value: ${JSON.stringify(value)}: invalid character ${code} (at position ${offset})` });
    }
    offset += encoder.encode(ch).length;
  }
  return errs;
}

/** The User-Agent's product name: printable characters before the first `/`, at most 128 bytes. */
export function managerFromUserAgent(userAgent: string | null): string {
  let out = "";
  let bytes = 0;
  for (const ch of (userAgent ?? "").split("/")[0]!) {
    if (!PRINTABLE.test(ch)) continue;
    const n = encoder.encode(ch).length;
    if (bytes + n > FIELD_MANAGER_MAX_BYTES) break;
    out += ch;
    bytes += n;
  }
  return out;
}

/** The manager of a non-apply write (validated parameter or User-Agent); 422 on a bad parameter. */
export function writeManager(req: Request, url: URL, kind: OptionsKind): string {
  const param = url.searchParams.get("fieldManager") ?? "";
  const errs = fieldManagerViolations(param);
  if (errs.length) throw invalidOptions(kind, errs);
  return param || managerFromUserAgent(req.headers.get("user-agent"));
}
