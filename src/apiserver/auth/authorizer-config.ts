/**
 * Builds the API server's authorizer from the configuration, in kube-apiserver's order:
 * system:masters first (always allowed), then the policy file (RBAC objects plus the built-in
 * discovery grants), then SubjectAccessReview delegation to the cluster; a request none of them
 * allowed is forbidden. With neither a policy file nor a kubeconfig, every authenticated request is
 * allowed (the all-in-one dev mode; authentication has already refused anonymous requests).
 */
import { createAllowAllAuthorizer, createGroupsAuthorizer, createUnionAuthorizer, type Authorizer } from "./authorizer.ts";
import { createPolicyAuthorizer } from "./policy-authorizer.ts";
import { createPolicyReloader } from "./policy-reloader.ts";
import { createSarAuthorizer } from "./subject-access-review-authorizer.ts";
import { createSarCache } from "./subject-access-review-cache.ts";
import { createSarClient } from "./subject-access-review-client.ts";
import { loadKubeconfig } from "./subject-access-review-kubeconfig.ts";
import type { Policy } from "./policy-file.ts";

/** The `api.authorization.*` settings. */
export interface AuthorizationConfig {
  /** RBAC policy file ("" = none). */
  policyFile: string;
  /** kubeconfig of the kube-apiserver for SubjectAccessReview ("" = no delegation). */
  kubeconfig: string;
  allowTtlMs: number;
  denyTtlMs: number;
  /** Deadline of each SubjectAccessReview call. */
  timeoutMs: number;
  /** How often the policy file is checked for changes (default 1 s). */
  policyReloadMs?: number;
}

/** An authorizer with resources to release (the policy file's reload timer). */
export interface ConfiguredAuthorizer extends Authorizer {
  /** How it was built, for the start-up log line. */
  readonly description: string;
  close(): void;
}

/** Builds the chain; throws (naming the file and field) when the policy file or kubeconfig is unusable. */
export function createConfiguredAuthorizer(c: AuthorizationConfig): ConfiguredAuthorizer {
  if (!c.policyFile && !c.kubeconfig) {
    const a = createAllowAllAuthorizer();
    return { ...a, description: "allow every authenticated user (no policy file or kubeconfig configured)", close: () => undefined };
  }
  const reloader = c.policyFile ? createPolicyReloader(c.policyFile, { intervalMs: c.policyReloadMs }) : undefined;
  const empty: Policy = { roles: [], bindings: [] };
  const chain: Authorizer[] = [createGroupsAuthorizer(), createPolicyAuthorizer(reloader ? reloader.current : () => empty)];
  const parts = ["system:masters", c.policyFile ? `policy file ${c.policyFile}` : "built-in discovery rules"];
  if (c.kubeconfig) {
    let conn;
    try {
      conn = loadKubeconfig(c.kubeconfig);
    } catch (e) {
      reloader?.close();
      throw e;
    }
    chain.push(createSarAuthorizer(createSarClient(conn, c.timeoutMs), createSarCache(c.allowTtlMs, c.denyTtlMs)));
    parts.push(`SubjectAccessReview at ${conn.server.origin}`);
  }
  const union = createUnionAuthorizer(chain);
  return { authorize: union.authorize, description: parts.join(", then "), close: () => reloader?.close() };
}
