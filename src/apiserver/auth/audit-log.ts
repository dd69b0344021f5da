/**
 * The audit trail: one JSON line per mutating request (create, update, patch, delete,
 * deletecollection, the status subresource's update and patch, and any non-GET non-resource
 * request), in kube-apiserver's audit.k8s.io/v1 Event shape at level Metadata so existing audit
 * tooling reads it: who (user, groups), what (verb, objectRef: resource, subresource, namespace,
 * name), the answer's code and reason, the requestURI and when. Never the request or response body:
 * only the code and reason of the response are kept, because error messages can quote the body.
 */
import { openAppendSink, stdoutSink, type LineSink } from "../../runtime/append-file.ts";
import type { RequestAttributes } from "./authorizer-attributes.ts";
import type { UserInfo } from "./user-info.ts";

/** What one audited request was. */
export interface AuditRecord {
  user: UserInfo;
  attrs: RequestAttributes;
  requestURI: string;
  sourceIP: string;
  userAgent: string;
  receivedAt: Date;
  code: number;
  /** Status reason of a failure (e.g. Forbidden), when the answer was one. */
  reason?: string;
  decision: "allow" | "forbid" | "error";
  authorizationReason?: string;
}

/** A sink for audit lines. */
export interface AuditLog {
  record(r: AuditRecord): void;
  close(): void;
}

/** The audit.k8s.io/v1 Event of a record. */
export function auditEvent(r: AuditRecord): Record<string, unknown> {
  const a = r.attrs;
  const user: Record<string, unknown> = { username: r.user.name, groups: r.user.groups };
  if (r.user.uid) user.uid = r.user.uid;
  if (Object.keys(r.user.extra).length) user.extra = r.user.extra;
  const event: Record<string, unknown> = {
    kind: "Event",
    apiVersion: "audit.k8s.io/v1",
    level: "Metadata",
    auditID: crypto.randomUUID(),
    stage: "ResponseComplete",
    requestURI: r.requestURI,
    verb: a.verb,
    user,
    sourceIPs: r.sourceIP ? [r.sourceIP] : [],
    userAgent: r.userAgent.slice(0, 1024),
  };
  if (a.resourceRequest) {
    const ref: Record<string, string> = { resource: a.resource };
    if (a.namespace) ref.namespace = a.namespace;
    if (a.name) ref.name = a.name;
    if (a.apiGroup) ref.apiGroup = a.apiGroup;
    if (a.apiVersion) ref.apiVersion = a.apiVersion;
    if (a.subresource) ref.subresource = a.subresource;
    event.objectRef = ref;
  }
  const status: Record<string, unknown> = { metadata: {}, code: r.code };
  if (r.code >= 400) {
    status.status = "Failure";
    if (r.reason) status.reason = r.reason;
  }
  event.responseStatus = status;
  event.requestReceivedTimestamp = r.receivedAt.toISOString();
  event.stageTimestamp = new Date().toISOString();
  const annotations: Record<string, string> = { "authorization.k8s.io/decision": r.decision };
  if (r.authorizationReason) annotations["authorization.k8s.io/reason"] = r.authorizationReason;
  event.annotations = annotations;
  return event;
}

/** Writes audit lines with `write` (one call per line, newline included). */
export function createAuditLog(write: (line: string) => void): AuditLog {
  return { record: (r) => write(`${JSON.stringify(auditEvent(r))}\n`), close: () => undefined };
}

/**
 * The audit log of `api.audit_log`: "-" is stdout; a path is opened for appending at start-up (an
 * unwritable path stops the start) and each line is written whole, in order. A failed write is
 * reported on stderr, once per kind of failure, and the request still gets its answer.
 */
export function createConfiguredAuditLog(target: string): AuditLog {
  let sink: LineSink;
  try {
    sink = target === "-" ? stdoutSink() : openAppendSink(target);
  } catch (e) {
    throw new Error(`api.audit_log: cannot open ${target} for appending: ${(e as Error).message}`);
  }
  let lastError = "";
  const log = createAuditLog((line) => {
    try {
      sink.write(line);
      lastError = "";
    } catch (e) {
      const msg = (e as Error).message;
      if (msg !== lastError) console.error(`audit: writing ${target} failed: ${msg}`);
      lastError = msg;
    }
  });
  return { record: log.record, close: () => sink.close() };
}
