/**
 * Turns anything thrown while serving a resource request into a `metav1.Status`. Backend errors go
 * through `toStatus`; NotFound gets the exact Kubernetes wording (`services.netguard.sgroups.io
 * "web" not found`), which kubectl prints verbatim.
 */
import { Code, ConnectError } from "@connectrpc/connect";
import type { KindDescriptor } from "../../kinds/kind-table.ts";
import { GROUP } from "../../kinds/model.ts";
import { statusBody, toStatus, type StatusBody } from "../status.ts";

/** The Kubernetes "<plural>.<group> \"<name>\"" resource phrase. */
export function resourcePhrase(kind: KindDescriptor, name: string): string {
  return `${kind.plural}.${GROUP} "${name}"`;
}

/** The Status for an error of a request on `kind` (and object `name`, when known). */
export function statusFor(e: unknown, kind: KindDescriptor, name?: string): StatusBody {
  if (e instanceof ConnectError && e.code === Code.NotFound && name) {
    return statusBody(404, "NotFound", `${resourcePhrase(kind, name)} not found`, { kind: kind.plural, name });
  }
  return toStatus(e, { kind: kind.kind, plural: kind.plural, name });
}

/** Whether `e` is the backend's optimistic-concurrency conflict (worth a retry for unconditional patches). */
export function isConflict(e: unknown): boolean {
  return e instanceof ConnectError && e.code === Code.Aborted;
}

/** Whether `e` is the backend's NotFound. */
export function isNotFound(e: unknown): boolean {
  return e instanceof ConnectError && e.code === Code.NotFound;
}

/** Whether `e` is the backend's AlreadyExists. */
export function isAlreadyExists(e: unknown): boolean {
  return e instanceof ConnectError && e.code === Code.AlreadyExists;
}
