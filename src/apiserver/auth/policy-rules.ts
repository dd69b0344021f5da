/**
 * RBAC rule and subject matching, with kube's semantics (plugin/pkg/auth/authorizer/rbac): "*"
 * matches any verb, group, resource or non-resource URL; a resource rule names `resource` or
 * `resource/subresource` (`*\/status` matches every resource's status); resourceNames restrict to
 * named objects (so they never match a list or create); a non-resource URL ending in `*` is a prefix.
 */
import type { RequestAttributes } from "./authorizer-attributes.ts";
import type { UserInfo } from "./user-info.ts";

/** An RBAC PolicyRule. */
export interface PolicyRule {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames: string[];
  nonResourceURLs: string[];
}

/** An RBAC Subject. */
export interface PolicySubject {
  kind: "User" | "Group" | "ServiceAccount";
  name: string;
  /** ServiceAccount only. */
  namespace?: string;
}

const has = (list: readonly string[], v: string) => list.includes("*") || list.includes(v);

function resourceMatches(rule: PolicyRule, a: RequestAttributes): boolean {
  const combined = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  for (const r of rule.resources) {
    if (r === "*" || r === combined) return true;
    if (a.subresource && r === `*/${a.subresource}`) return true;
  }
  return false;
}

function nonResourceUrlMatches(rule: PolicyRule, path: string): boolean {
  for (const u of rule.nonResourceURLs) {
    if (u === "*" || u === path) return true;
    if (u.endsWith("*") && path.startsWith(u.slice(0, -1))) return true;
  }
  return false;
}

/** Whether `rule` allows the request described by `a` (kube's RuleAllows). */
export function ruleAllows(rule: PolicyRule, a: RequestAttributes): boolean {
  if (!has(rule.verbs, a.verb)) return false;
  if (!a.resourceRequest) return nonResourceUrlMatches(rule, a.path);
  if (!has(rule.apiGroups, a.apiGroup) || !resourceMatches(rule, a)) return false;
  return rule.resourceNames.length === 0 || rule.resourceNames.includes(a.name);
}

/** The user name of a service account (kube's serviceaccount.MakeUsername). */
export function serviceAccountUser(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

/** Whether `s` names `user`; a ServiceAccount without namespace takes the binding's (kube's appliesToUser). */
export function subjectMatches(s: PolicySubject, user: UserInfo, bindingNamespace: string): boolean {
  switch (s.kind) {
    case "User":
      return user.name === s.name;
    case "Group":
      return user.groups.includes(s.name);
    case "ServiceAccount":
      return user.name === serviceAccountUser(s.namespace || bindingNamespace, s.name);
  }
}
