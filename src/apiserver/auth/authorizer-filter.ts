/**
 * The authorization step in front of every Kubernetes API route (kube's WithAuthorization filter),
 * with the audit trail beside it: the request's attributes are decided by the authorizer before
 * anything is read or sent to the backend; an allow passes on, a deny or no-opinion is 403
 * Forbidden in kube's words, an authorizer that could not decide (SubjectAccessReview down) is 500
 * — never a pass. Mutating requests, allowed or not, leave one audit line with the answer's code.
 */
import { requestConnection } from "../../runtime/serve-fetch.ts";
import { StatusError, statusError, statusResponse, type StatusBody } from "../status.ts";
import type { Authorizer } from "./authorizer.ts";
import { isMutatingVerb, requestAttributes } from "./authorizer-attributes.ts";
import { forbiddenStatus } from "./authorizer-forbidden.ts";
import type { AuditLog } from "./audit-log.ts";
import { requestUser, type UserInfo } from "./user-info.ts";

type Route = (req: Request, url: URL) => Promise<Response | undefined>;

/** Who a request is when authentication attached nobody (kube's anonymous user). */
export const ANONYMOUS: UserInfo = { name: "system:anonymous", groups: ["system:unauthenticated"], extra: {} };

async function reasonOf(res: Response): Promise<string | undefined> {
  if (res.status < 400 || !(res.headers.get("content-type") ?? "").includes("json")) return undefined;
  try {
    const body = (await res.clone().json()) as Partial<StatusBody>;
    return typeof body?.reason === "string" ? body.reason : undefined;
  } catch {
    return undefined;
  }
}

/** Wraps `route` with authorization (when `authorizer` is set) and audit (when `audit` is set). */
export function withAuthorization(route: Route, authorizer: Authorizer | undefined, audit: AuditLog | undefined): Route {
  if (!authorizer && !audit) return route;
  return async (req, url) => {
    const receivedAt = new Date();
    const user = requestUser(req) ?? ANONYMOUS;
    const attrs = requestAttributes(req.method, url);
    const record = (code: number, decision: "allow" | "forbid" | "error", reason?: string, authorizationReason?: string) => {
      if (!audit || !isMutatingVerb(attrs)) return;
      audit.record({
        user,
        attrs,
        requestURI: url.pathname + url.search,
        sourceIP: requestConnection(req).clientAddress,
        userAgent: req.headers.get("user-agent") ?? "",
        receivedAt,
        code,
        reason,
        decision,
        authorizationReason,
      });
    };
    let why: string | undefined;
    if (authorizer) {
      const verdict = await authorizer.authorize(user, attrs);
      why = verdict.reason;
      if (verdict.decision !== "allow") {
        if (verdict.error && verdict.decision === "no-opinion") {
          const body = statusError.internal(`Internal error occurred: authorization could not be decided: ${verdict.error.message}`).status;
          record(500, "error", body.reason, "internal error");
          return statusResponse(body);
        }
        const body = forbiddenStatus(user.name, attrs, verdict.reason);
        record(403, "forbid", "Forbidden", verdict.reason);
        return statusResponse(body);
      }
    }
    let res: Response | undefined;
    try {
      res = await route(req, url);
    } catch (e) {
      if (e instanceof StatusError) record(e.status.code, "allow", e.status.reason, why);
      else record(500, "allow", "InternalError", why);
      throw e;
    }
    if (!audit || !isMutatingVerb(attrs)) return res;
    if (!res) record(404, "allow", "NotFound", why);
    else record(res.status, "allow", await reasonOf(res), why);
    return res;
  };
}
