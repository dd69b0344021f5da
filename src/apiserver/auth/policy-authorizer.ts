/**
 * The policy-file authorizer: RBAC evaluation over a validated Policy, the way kube's RBAC
 * authorizer walks bindings — ClusterRoleBindings grant their ClusterRole everywhere; a RoleBinding
 * grants its Role or ClusterRole only inside its own namespace (so never at cluster scope nor for a
 * non-resource URL). It only ever allows or has no opinion (RBAC has no deny rules). A binding
 * whose role does not exist grants nothing. Built in, as kube-apiserver's bootstrap policy: the
 * discovery, OpenAPI, version and health paths for every user (system:discovery,
 * system:public-info-viewer), so kubectl can discover without anything in the file.
 */
import type { Authorizer } from "./authorizer.ts";
import type { RequestAttributes } from "./authorizer-attributes.ts";
import type { Policy, PolicyBinding, PolicyRole } from "./policy-file.ts";
import { ruleAllows, subjectMatches, type PolicySubject } from "./policy-rules.ts";
import type { UserInfo } from "./user-info.ts";

/** kube's default non-resource grants (bootstrap ClusterRoles system:discovery and system:public-info-viewer). */
export const BUILT_IN_POLICY: Policy = {
  roles: [
    {
      kind: "ClusterRole",
      name: "system:discovery",
      namespace: "",
      rules: [{ verbs: ["get"], apiGroups: [], resources: [], resourceNames: [], nonResourceURLs: ["/api", "/api/*", "/apis", "/apis/*", "/openapi", "/openapi/*", "/version", "/version/", "/healthz", "/livez", "/readyz"] }],
    },
  ],
  bindings: [
    {
      kind: "ClusterRoleBinding",
      name: "system:discovery",
      namespace: "",
      roleRef: { kind: "ClusterRole", name: "system:discovery" },
      subjects: [
        { kind: "Group", name: "system:authenticated" },
        { kind: "Group", name: "system:unauthenticated" },
      ],
    },
  ],
};

function describe(b: PolicyBinding, s: PolicySubject): string {
  const where = b.kind === "RoleBinding" ? `${b.name}/${b.namespace}` : b.name;
  const who = s.kind === "ServiceAccount" ? `${s.namespace || b.namespace}/${s.name}` : s.name;
  return `RBAC: allowed by ${b.kind} "${where}" of ${b.roleRef.kind} "${b.roleRef.name}" to ${s.kind} "${who}"`;
}

/** Compiles a policy (plus the built-in grants) into an authorizer; `current` is read on every call, so a reload swaps it. */
export function createPolicyAuthorizer(current: () => Policy): Authorizer {
  let compiled: { policy: Policy; roles: Map<string, PolicyRole> } | undefined;
  const rolesOf = (policy: Policy): Map<string, PolicyRole> => {
    if (compiled?.policy !== policy) {
      const roles = new Map<string, PolicyRole>();
      for (const r of [...BUILT_IN_POLICY.roles, ...policy.roles]) roles.set(`${r.kind}/${r.namespace}/${r.name}`, r);
      compiled = { policy, roles };
    }
    return compiled.roles;
  };
  return {
    async authorize(user: UserInfo, attrs: RequestAttributes) {
      const policy = current();
      const roles = rolesOf(policy);
      for (const b of [...BUILT_IN_POLICY.bindings, ...policy.bindings]) {
        if (b.kind === "RoleBinding" && (!attrs.resourceRequest || attrs.namespace !== b.namespace)) continue;
        const subject = b.subjects.find((s) => subjectMatches(s, user, b.namespace));
        if (!subject) continue;
        const role = roles.get(`${b.roleRef.kind}/${b.roleRef.kind === "Role" ? b.namespace : ""}/${b.roleRef.name}`);
        if (role?.rules.some((r) => ruleAllows(r, attrs))) return { decision: "allow", reason: describe(b, subject) };
      }
      return { decision: "no-opinion" };
    },
  };
}
