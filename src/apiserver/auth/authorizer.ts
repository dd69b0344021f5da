/**
 * Authorization, shaped as Kubernetes' authorizer.Authorizer: a request's attributes (who, verb,
 * resource or path) go to a chain of authorizers; the first that allows or denies decides, one with
 * no opinion passes to the next, and a request nobody allowed is forbidden. Keeping kube's shape
 * lets the RBAC-like policy file, SubjectAccessReview delegation and built-in rules compose the way
 * operators already know from kube-apiserver's `--authorization-mode`.
 */
import type { UserInfo } from "./user-info.ts";
import type { RequestAttributes } from "./authorizer-attributes.ts";

/** One authorizer's verdict; "no-opinion" lets the next authorizer in the chain decide. */
export type Decision = "allow" | "deny" | "no-opinion";

/** A verdict with kube's free-text reason (shown in 403 messages and audit annotations). */
export interface AuthorizationResult {
  decision: Decision;
  reason?: string;
  /** Set when the authorizer could not decide (e.g. SubjectAccessReview unreachable): fail closed. */
  error?: Error;
}

/** Decides whether `user` may do what `attrs` describe (kube's authorizer.Authorizer). */
export interface Authorizer {
  authorize(user: UserInfo, attrs: RequestAttributes): Promise<AuthorizationResult>;
}

/**
 * kube's union authorizer: the first allow or deny wins; errors are remembered and the chain goes on
 * (a later authorizer may still allow); when nobody decided, the answer is no-opinion carrying the
 * errors, which the filter turns into 500 rather than a pass (fail closed).
 */
export function createUnionAuthorizer(chain: readonly Authorizer[]): Authorizer {
  return {
    async authorize(user, attrs) {
      const reasons: string[] = [];
      const errors: Error[] = [];
      for (const a of chain) {
        const r = await a.authorize(user, attrs);
        if (r.decision !== "no-opinion") return r;
        if (r.reason) reasons.push(r.reason);
        if (r.error) errors.push(r.error);
      }
      const result: AuthorizationResult = { decision: "no-opinion", reason: reasons.join("\n") || undefined };
      if (errors.length) result.error = new Error(errors.map((e) => e.message).join("; "));
      return result;
    },
  };
}

/** Kubernetes' superuser group: always allowed, before any other authorizer (as kube-apiserver). */
export const MASTERS_GROUP = "system:masters";

/** Allows members of the given groups everything (kube's AlwaysAllowGroups, with system:masters). */
export function createGroupsAuthorizer(groups: readonly string[] = [MASTERS_GROUP]): Authorizer {
  const set = new Set(groups);
  return {
    async authorize(user) {
      const g = user.groups.find((x) => set.has(x));
      return g === undefined ? { decision: "no-opinion" } : { decision: "allow", reason: `member of group "${g}"` };
    },
  };
}

/**
 * Allows every request (kube's AlwaysAllow mode): the default when neither a policy file nor a
 * kubeconfig is configured, for the all-in-one dev mode. Anonymous requests never get here:
 * authentication answers them 401 first.
 */
export function createAllowAllAuthorizer(): Authorizer {
  const reason = "no authorization configured (api.authorization.policy_file and api.authorization.kubeconfig unset): every authenticated request is allowed";
  return { authorize: async () => ({ decision: "allow", reason }) };
}
