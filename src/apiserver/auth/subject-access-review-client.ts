/**
 * One SubjectAccessReview call (authorization.k8s.io/v1) to the kube-apiserver: POST
 * /apis/authorization.k8s.io/v1/subjectaccessreviews with the spec, answer's status read back. Every
 * call has a deadline and a cap on the answer's size, and any transport failure, non-2xx answer or
 * malformed body is an error — the authorizer turns errors into "could not decide", never into an
 * allow.
 */
import { httpPost } from "../../runtime/http-post.ts";
import { readTextFile } from "../../runtime/text-files.ts";
import type { SarConnection } from "./subject-access-review-kubeconfig.ts";

/** SubjectAccessReviewSpec (authorization.k8s.io/v1). */
export interface SarSpec {
  user: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
  resourceAttributes?: { namespace?: string; verb: string; group?: string; version?: string; resource?: string; subresource?: string; name?: string };
  nonResourceAttributes?: { path: string; verb: string };
}

/** SubjectAccessReviewStatus (authorization.k8s.io/v1). */
export interface SarStatus {
  allowed: boolean;
  denied?: boolean;
  reason?: string;
  evaluationError?: string;
}

export type SarCall = (spec: SarSpec) => Promise<SarStatus>;

const PATH = "/apis/authorization.k8s.io/v1/subjectaccessreviews";
const MAX_ANSWER_BYTES = 1024 * 1024;

function bearer(conn: SarConnection): string | undefined {
  if (conn.tokenFile) return readTextFile(conn.tokenFile).trim();
  return conn.token;
}

function parseStatus(code: number, text: string): SarStatus {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`HTTP ${code}: the answer is not JSON`);
  }
  const b = body as { kind?: unknown; status?: { allowed?: unknown; denied?: unknown; reason?: unknown; evaluationError?: unknown }; message?: unknown };
  if (code < 200 || code > 299) throw new Error(`HTTP ${code}${typeof b?.message === "string" ? `: ${b.message.slice(0, 500)}` : ""}`);
  if (b?.kind !== "SubjectAccessReview" || typeof b.status !== "object" || b.status === null) throw new Error(`HTTP ${code}: the answer is not a SubjectAccessReview`);
  const s = b.status;
  if (typeof s.allowed !== "boolean") throw new Error("the answer's status.allowed is not a boolean");
  const out: SarStatus = { allowed: s.allowed };
  if (s.denied === true) out.denied = true;
  if (typeof s.reason === "string" && s.reason) out.reason = s.reason.slice(0, 1000);
  if (typeof s.evaluationError === "string" && s.evaluationError) out.evaluationError = s.evaluationError.slice(0, 1000);
  return out;
}

/** A SubjectAccessReview caller for `conn`, each call bounded by `timeoutMs`. */
export function createSarClient(conn: SarConnection, timeoutMs: number): SarCall {
  const url = new URL(PATH, conn.server);
  const tls = { ca: conn.ca, cert: conn.cert, key: conn.key, servername: conn.servername };
  return async (spec) => {
    const body = JSON.stringify({ apiVersion: "authorization.k8s.io/v1", kind: "SubjectAccessReview", spec });
    const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
    let token: string | undefined;
    try {
      token = bearer(conn);
    } catch (e) {
      throw new Error(`token file: ${(e as Error).message}`);
    }
    if (token) headers.authorization = `Bearer ${token}`;
    const answer = await httpPost(url, body, { headers, tls, timeoutMs, maxAnswerBytes: MAX_ANSWER_BYTES });
    return parseStatus(answer.status, answer.text);
  };
}
