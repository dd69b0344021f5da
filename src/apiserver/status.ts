/**
 * Kubernetes `metav1.Status` bodies and the mapping from backend (Connect) errors to them. kubectl
 * formats errors from `reason`, `details.kind/name` and, for Invalid, `details.causes` — so every
 * error the API server returns goes through here.
 */
import { Code, ConnectError } from "@connectrpc/connect";
import { ValidationDetailsSchema } from "../gen/netguard/v1/service_pb.ts";
import { GROUP } from "../kinds/model.ts";
import type { FieldViolation } from "../kinds/violations.ts";

export interface StatusCause {
  reason: string;
  field?: string;
  message: string;
}

export interface StatusBody {
  kind: "Status";
  apiVersion: "v1";
  metadata: Record<string, never>;
  status: "Failure" | "Success";
  message: string;
  reason: string;
  details?: { name?: string; group?: string; kind?: string; uid?: string; causes?: StatusCause[]; retryAfterSeconds?: number };
  code: number;
}

/** An error that becomes a Status response. */
export class StatusError extends Error {
  constructor(readonly status: StatusBody) {
    super(status.message);
  }
}

export interface StatusTarget {
  /** Resource plural ("services") for most reasons; the Kind for Invalid, as kubectl expects. */
  kind?: string;
  name?: string;
}

export function statusBody(code: number, reason: string, message: string, target: StatusTarget = {}, causes?: StatusCause[]): StatusBody {
  const body: StatusBody = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code };
  if (target.kind || target.name || causes) {
    body.details = { group: GROUP };
    if (target.name) body.details.name = target.name;
    if (target.kind) body.details.kind = target.kind;
    if (causes?.length) body.details.causes = causes;
  }
  return body;
}

export const statusError = {
  badRequest: (message: string) => new StatusError(statusBody(400, "BadRequest", message)),
  notFound: (message: string, t?: StatusTarget) => new StatusError(statusBody(404, "NotFound", message, t)),
  methodNotAllowed: (message: string) => new StatusError(statusBody(405, "MethodNotAllowed", message)),
  notAcceptable: (message: string) => new StatusError(statusBody(406, "NotAcceptable", message)),
  conflict: (message: string, t?: StatusTarget) => new StatusError(statusBody(409, "Conflict", message, t)),
  alreadyExists: (message: string, t?: StatusTarget) => new StatusError(statusBody(409, "AlreadyExists", message, t)),
  expired: (message: string) => new StatusError(statusBody(410, "Expired", message)),
  unsupportedMediaType: (message: string) => new StatusError(statusBody(415, "UnsupportedMediaType", message)),
  /** apimachinery's NewRequestEntityTooLargeError: 413, "Request entity too large: <detail>". */
  requestEntityTooLarge: (detail: string) => new StatusError(statusBody(413, "RequestEntityTooLarge", `Request entity too large: ${detail}`)),
  /** 414: Kubernetes has no reason of its own for it; BadRequest says whose fault it is. */
  uriTooLong: (message: string) => new StatusError(statusBody(414, "BadRequest", message)),
  /** apimachinery's NewTooManyRequests: 429 with details.retryAfterSeconds (and so a Retry-After header). */
  tooManyRequests: (message: string, retryAfterSeconds: number) => {
    const body = statusBody(429, "TooManyRequests", message);
    body.details = { retryAfterSeconds };
    return new StatusError(body);
  },
  invalid: (kindName: string, name: string, violations: FieldViolation[]) =>
    new StatusError(
      statusBody(
        422,
        "Invalid",
        `${kindName}.${GROUP} "${name}" is invalid: ${violations.map((v) => `${v.field}: ${v.message}`).join(", ")}`,
        { kind: kindName, name },
        violations.map((v) => ({ reason: v.reason, field: v.field, message: v.message })),
      ),
    ),
  internal: (message: string) => new StatusError(statusBody(500, "InternalError", message)),
  unavailable: (message: string) => new StatusError(statusBody(503, "ServiceUnavailable", message)),
  timeout: (message: string) => new StatusError(statusBody(504, "Timeout", message)),
};

/**
 * Maps anything thrown while serving a request to a Status. Backend codes: NotFound→404,
 * AlreadyExists→409 AlreadyExists, InvalidArgument→422 Invalid (with causes from ValidationDetails)
 * or 400, Aborted→409 Conflict (503 when it is a reset connection), FailedPrecondition→409 Conflict, OutOfRange→410 Expired,
 * Unavailable/Canceled→503, DeadlineExceeded→504 Timeout (the message, from `deadlineError`, says
 * whether a write's outcome is unknown), ResourceExhausted (the backend's store is full)→500 as
 * kube-apiserver answers for a full etcd ("etcdserver: mvcc: database space exceeded"; Kubernetes
 * clients know no 507), anything else→500.
 */
export function toStatus(e: unknown, target: { kind: string; plural: string; name?: string }): StatusBody {
  if (e instanceof StatusError) return e.status;
  if (e instanceof ConnectError) {
    const t = { kind: target.plural, name: target.name };
    const msg = e.rawMessage;
    switch (e.code) {
      case Code.NotFound:
        return statusBody(404, "NotFound", msg, t);
      case Code.AlreadyExists:
        return statusBody(409, "AlreadyExists", msg, t);
      case Code.InvalidArgument: {
        const details = e.findDetails(ValidationDetailsSchema);
        const violations = details.flatMap((d) => d.violations);
        if (violations.length) {
          return statusError.invalid(target.kind, target.name ?? "", violations.map((v) => ({ field: v.field, reason: v.reason as FieldViolation["reason"], message: v.message }))).status;
        }
        return statusBody(400, "BadRequest", msg);
      }
      case Code.Aborted:
        // connect-node reports a reset connection (ECONNRESET, a destroyed stream) as Aborted with
        // the socket error as its cause; the backend's own Aborted (a stale resourceVersion)
        // arrives without one. A lost connection is not a conflict: retrying is right, and for a
        // write the outcome is unknown.
        if (e.cause instanceof Error) return statusBody(503, "ServiceUnavailable", `backend connection lost: ${msg} (a write's outcome is unknown)`);
        return statusBody(409, "Conflict", msg, t);
      case Code.FailedPrecondition:
        return statusBody(409, "Conflict", msg, t);
      case Code.OutOfRange:
        return statusBody(410, "Expired", msg);
      case Code.Unavailable:
      case Code.Canceled:
        return statusBody(503, "ServiceUnavailable", `backend unavailable: ${msg}`);
      case Code.DeadlineExceeded:
        return statusBody(504, "Timeout", msg);
      case Code.ResourceExhausted:
        return statusBody(500, "InternalError", `Internal error occurred: backend: ${msg}`);
      default:
        return statusBody(500, "InternalError", msg);
    }
  }
  const message = e instanceof Error ? e.message : String(e);
  return statusBody(500, "InternalError", `internal error: ${message}`);
}

export function statusResponse(body: StatusBody): Response {
  const headers: Record<string, string> = { "content-type": "application/json" };
  // As kube-apiserver: a Status that says when to retry says it in the Retry-After header too.
  if (body.details?.retryAfterSeconds) headers["retry-after"] = String(body.details.retryAfterSeconds);
  return new Response(JSON.stringify(body), { status: body.code, headers });
}
