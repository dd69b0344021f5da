/**
 * Request authentication for the API server, with kube-apiserver's semantics: the authenticators
 * run in order (front proxy, client certificate, bearer token); the first user wins and gets the
 * group `system:authenticated`. A request whose credentials are all absent is anonymous: it may
 * reach only the health and version endpoints (and, with `anonymousDiscovery`, discovery and
 * OpenAPI) as `system:anonymous`; anything else — and any request whose credentials are invalid,
 * wherever it goes — is `401 Unauthorized`, the Status kube-apiserver sends.
 */
import type { FetchConnection } from "../../runtime/serve-fetch.ts";
import { statusBody, statusResponse } from "../status.ts";
import type { Authenticator } from "./authn-types.ts";
import { AUTHENTICATED_GROUP, setRequestUser, type UserInfo } from "./user-info.ts";

/** The user of a request that presented no credentials (Kubernetes' anonymous user). */
export const ANONYMOUS_USER: UserInfo = { name: "system:anonymous", groups: ["system:unauthenticated"], extra: {} };

export interface AuthenticationOptions {
  /** In order; see the module comment. */
  authenticators: readonly Authenticator[];
  /** Let anonymous requests read discovery (`/api`, `/apis/...` group and version documents) and `/openapi/*`. */
  anonymousDiscovery: boolean;
  /** Receives the reasons of refused credentials (never the credentials). */
  log?: (msg: string) => void;
}

const PUBLIC_PATHS = new Set(["/healthz", "/readyz", "/livez", "/version", "/version/"]);

/** Discovery and OpenAPI paths: /api, /api/v1, /apis, /apis/<g>, /apis/<g>/<v>, /openapi/... */
export function isDiscoveryPath(path: string): boolean {
  if (path === "/openapi" || path.startsWith("/openapi/")) return true;
  const segs = path.split("/").slice(1);
  if (segs.at(-1) === "") segs.pop();
  if (segs[0] === "api") return segs.length <= 2;
  if (segs[0] === "apis") return segs.length <= 3 && segs.every((s) => s !== "");
  return false;
}

/** kube-apiserver's 401 body (kubectl prints "You must be logged in to the server (Unauthorized)"). */
export function unauthorizedResponse(): Response {
  return statusResponse(statusBody(401, "Unauthorized", "Unauthorized"));
}

function withAuthenticatedGroup(u: UserInfo): UserInfo {
  return u.groups.includes(AUTHENTICATED_GROUP) ? u : { ...u, groups: [...u.groups, AUTHENTICATED_GROUP] };
}

/** Authenticates a request: attaches its user and returns undefined, or returns the 401 to send. */
export type Authenticate = (req: Request, url: URL, conn: FetchConnection) => Response | undefined;

export function createAuthentication(o: AuthenticationOptions): Authenticate {
  return (req, url, conn) => {
    const errors: string[] = [];
    for (const a of o.authenticators) {
      const r = a(req, conn);
      if (!r) continue;
      if ("user" in r) {
        setRequestUser(req, withAuthenticatedGroup(r.user));
        return undefined;
      }
      errors.push(r.error);
    }
    if (errors.length > 0) {
      o.log?.(`unable to authenticate the request: ${errors.join("; ").replace(/[\x00-\x1f\x7f]/g, "?")}`);
      return unauthorizedResponse();
    }
    const path = url.pathname;
    if (PUBLIC_PATHS.has(path) || (o.anonymousDiscovery && isDiscoveryPath(path))) {
      setRequestUser(req, ANONYMOUS_USER);
      return undefined;
    }
    return unauthorizedResponse();
  };
}
