/**
 * The shape every authenticator shares, as k8s.io/apiserver's `authenticator.Request`: it either
 * does not apply to a request (no credentials of its kind), authenticates a user, or finds the
 * credentials it understands invalid. The union tries them in order; the first user wins, and
 * errors only matter when nobody authenticated the request.
 */
import type { FetchConnection } from "../../runtime/serve-fetch.ts";
import type { UserInfo } from "./user-info.ts";

/** What one authenticator made of a request. */
export type AuthnResult = { user: UserInfo } | { error: string } | undefined;

/** One way of authenticating (client certificate, front proxy, bearer token). */
export type Authenticator = (req: Request, conn: FetchConnection) => AuthnResult;
