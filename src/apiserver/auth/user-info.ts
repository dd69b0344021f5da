/**
 * Who made a request, as authentication found out: the same shape as Kubernetes' user.Info, so the
 * front proxy's headers, client certificates, tokens and SubjectAccessReview all speak it. The
 * authenticator attaches it to the request; authorization and the audit log read it back.
 */

/** An authenticated user (Kubernetes user.Info). */
export interface UserInfo {
  name: string;
  uid?: string;
  groups: string[];
  extra: Record<string, string[]>;
}

/** Every authenticated user is in this group (as in Kubernetes). */
export const AUTHENTICATED_GROUP = "system:authenticated";

const users = new WeakMap<Request, UserInfo>();

/** Records the authenticated user of a request. */
export function setRequestUser(req: Request, user: UserInfo): void {
  users.set(req, user);
}

/** The authenticated user of a request, or undefined when it was not authenticated. */
export function requestUser(req: Request): UserInfo | undefined {
  return users.get(req);
}
