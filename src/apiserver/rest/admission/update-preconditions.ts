/**
 * Optimistic concurrency for updates, as for Kubernetes custom resources: a PUT must carry
 * `metadata.resourceVersion` (missing → 422 Invalid "must be specified for an update"); a stale one
 * is the backend's 409 Conflict.
 */
import type { KindDescriptor } from "../../../kinds/kind-table.ts";
import { statusError } from "../../status.ts";
import { isJsonObject } from "./request-body.ts";
import { resourcePhrase } from "../error-status.ts";

/** Throws 422 when the body of an update has no resourceVersion. */
export function requireResourceVersion(kind: KindDescriptor, body: Record<string, unknown>): void {
  const meta = isJsonObject(body.metadata) ? body.metadata : {};
  const rv = meta.resourceVersion;
  if (typeof rv === "string" && rv !== "") return;
  throw statusError.invalid(kind.kind, typeof meta.name === "string" ? meta.name : "", [
    { field: "metadata.resourceVersion", reason: "FieldValueInvalid", message: "Invalid value: 0x0: must be specified for an update" },
  ]);
}

/** The 409 for a precondition that the live object does not meet (same wording as the backend). */
export function conflictError(kind: KindDescriptor, name: string) {
  return statusError.conflict(
    `Operation cannot be fulfilled on ${resourcePhrase(kind, name)}: the object has been modified; please apply your changes to the latest version and try again`,
    { kind: kind.plural, name },
  );
}
