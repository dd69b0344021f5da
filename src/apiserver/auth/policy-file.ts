/**
 * Reads and validates an authorization policy file: Kubernetes RBAC objects (Role, ClusterRole,
 * RoleBinding, ClusterRoleBinding, rbac.authorization.k8s.io/v1, also inside a `kind: List`) as
 * YAML documents or JSON, so operators write and read the same objects they know from kubectl and
 * can paste `kubectl get clusterrole x -o yaml`. The file is hostile input: every shape error names
 * the document and field, and nothing of a bad file is used.
 */
import { parseAllDocuments } from "yaml";
import type { PolicyRule, PolicySubject } from "./policy-rules.ts";

/** A Role (namespace set) or ClusterRole. */
export interface PolicyRole {
  kind: "Role" | "ClusterRole";
  name: string;
  namespace: string;
  rules: PolicyRule[];
}

/** A RoleBinding (namespace set) or ClusterRoleBinding. */
export interface PolicyBinding {
  kind: "RoleBinding" | "ClusterRoleBinding";
  name: string;
  namespace: string;
  roleRef: { kind: "Role" | "ClusterRole"; name: string };
  subjects: PolicySubject[];
}

/** A validated policy. */
export interface Policy {
  roles: PolicyRole[];
  bindings: PolicyBinding[];
}

/** A policy file that cannot be used; the message names the file, document and field. */
export class PolicyError extends Error {}

const RBAC = "rbac.authorization.k8s.io";
const RBAC_V1 = `${RBAC}/v1`;
/** Larger files are refused (a policy is a few KiB; this bounds what a bad file can cost). */
export const MAX_POLICY_BYTES = 4 * 1024 * 1024;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

function only(o: Obj, allowed: readonly string[], at: string): void {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) throw new PolicyError(`${at}: unknown field "${k}" (allowed: ${allowed.join(", ")})`);
}

function str(v: unknown, at: string, required = true): string {
  if (v === undefined || v === null || v === "") {
    if (required) throw new PolicyError(`${at}: required`);
    return "";
  }
  if (typeof v !== "string") throw new PolicyError(`${at}: must be a string`);
  return v;
}

function strings(v: unknown, at: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== "string" || x === "")) throw new PolicyError(`${at}: must be a list of non-empty strings`);
  return v as string[];
}

function parseRule(v: unknown, at: string, namespaced: boolean): PolicyRule {
  if (!isObj(v)) throw new PolicyError(`${at}: must be a mapping`);
  only(v, ["verbs", "apiGroups", "resources", "resourceNames", "nonResourceURLs"], at);
  const rule: PolicyRule = {
    verbs: strings(v.verbs, `${at}.verbs`),
    apiGroups: [],
    resources: strings(v.resources, `${at}.resources`),
    resourceNames: strings(v.resourceNames, `${at}.resourceNames`),
    nonResourceURLs: strings(v.nonResourceURLs, `${at}.nonResourceURLs`),
  };
  // The core group is "" — allowed in apiGroups (a list of strings that may hold "").
  if (Array.isArray(v.apiGroups)) {
    if (v.apiGroups.some((x) => typeof x !== "string")) throw new PolicyError(`${at}.apiGroups: must be a list of strings ("" is the core group)`);
    rule.apiGroups = v.apiGroups as string[];
  } else if (v.apiGroups !== undefined && v.apiGroups !== null) throw new PolicyError(`${at}.apiGroups: must be a list of strings ("" is the core group)`);
  if (!rule.verbs.length) throw new PolicyError(`${at}.verbs: must name at least one verb (or "*")`);
  if (rule.nonResourceURLs.length) {
    if (namespaced) throw new PolicyError(`${at}.nonResourceURLs: only a ClusterRole may have them`);
    if (rule.resources.length || rule.apiGroups.length || rule.resourceNames.length) throw new PolicyError(`${at}: a rule cannot apply to both resources and nonResourceURLs`);
    for (const u of rule.nonResourceURLs) {
      if (u !== "*" && !u.startsWith("/")) throw new PolicyError(`${at}.nonResourceURLs: "${u}" must start with "/" (or be "*")`);
      if (u.indexOf("*") !== -1 && u.indexOf("*") !== u.length - 1) throw new PolicyError(`${at}.nonResourceURLs: "${u}": "*" is only allowed at the end`);
    }
  } else {
    if (!rule.resources.length) throw new PolicyError(`${at}: a rule needs resources (or nonResourceURLs)`);
    if (!rule.apiGroups.length) throw new PolicyError(`${at}.apiGroups: resource rules must name at least one API group ("" is the core group, "*" any)`);
  }
  return rule;
}

function parseSubject(v: unknown, at: string, bindingKind: string): PolicySubject {
  if (!isObj(v)) throw new PolicyError(`${at}: must be a mapping`);
  only(v, ["kind", "apiGroup", "name", "namespace"], at);
  const kind = str(v.kind, `${at}.kind`);
  const name = str(v.name, `${at}.name`);
  const apiGroup = str(v.apiGroup, `${at}.apiGroup`, false);
  if (kind === "User" || kind === "Group") {
    if (apiGroup && apiGroup !== RBAC) throw new PolicyError(`${at}.apiGroup: must be "${RBAC}" for ${kind}`);
    if (v.namespace) throw new PolicyError(`${at}.namespace: not allowed for ${kind}`);
    return { kind, name };
  }
  if (kind === "ServiceAccount") {
    if (apiGroup) throw new PolicyError(`${at}.apiGroup: must be "" for ServiceAccount`);
    const namespace = str(v.namespace, `${at}.namespace`, bindingKind === "ClusterRoleBinding");
    return namespace ? { kind, name, namespace } : { kind, name };
  }
  throw new PolicyError(`${at}.kind: "${kind}" must be User, Group or ServiceAccount`);
}

function parseObject(v: unknown, at: string, p: Policy): void {
  if (!isObj(v)) throw new PolicyError(`${at}: must be a mapping (a Kubernetes RBAC object)`);
  const kind = str(v.kind, `${at}.kind`);
  if (kind === "List") {
    only(v, ["apiVersion", "kind", "metadata", "items"], at);
    if (!Array.isArray(v.items)) throw new PolicyError(`${at}.items: must be a list`);
    v.items.forEach((item, i) => parseObject(item, `${at}.items[${i}]`, p));
    return;
  }
  if (!["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"].includes(kind)) {
    throw new PolicyError(`${at}.kind: "${kind}" must be Role, ClusterRole, RoleBinding, ClusterRoleBinding or List`);
  }
  if (v.apiVersion !== RBAC_V1) throw new PolicyError(`${at}.apiVersion: must be "${RBAC_V1}"`);
  if (!isObj(v.metadata)) throw new PolicyError(`${at}.metadata: required`);
  const name = str(v.metadata.name, `${at}.metadata.name`);
  const namespaced = kind === "Role" || kind === "RoleBinding";
  const namespace = str(v.metadata.namespace, `${at}.metadata.namespace`, namespaced);
  if (!namespaced && namespace) throw new PolicyError(`${at}.metadata.namespace: a ${kind} is cluster-scoped`);
  const where = `${at} (${kind} "${namespace ? `${namespace}/` : ""}${name}")`;
  if (kind === "Role" || kind === "ClusterRole") {
    if (v.aggregationRule !== undefined) throw new PolicyError(`${where}.aggregationRule: not supported; list the rules`);
    only(v, ["apiVersion", "kind", "metadata", "rules"], where);
    if (v.rules !== undefined && v.rules !== null && !Array.isArray(v.rules)) throw new PolicyError(`${where}.rules: must be a list`);
    const rules = ((v.rules as unknown[] | undefined) ?? []).map((r, i) => parseRule(r, `${where}.rules[${i}]`, namespaced));
    if (p.roles.some((r) => r.kind === kind && r.name === name && r.namespace === namespace)) throw new PolicyError(`${where}: defined twice`);
    p.roles.push({ kind, name, namespace, rules });
    return;
  }
  only(v, ["apiVersion", "kind", "metadata", "roleRef", "subjects"], where);
  if (!isObj(v.roleRef)) throw new PolicyError(`${where}.roleRef: required`);
  only(v.roleRef, ["apiGroup", "kind", "name"], `${where}.roleRef`);
  const refKind = str(v.roleRef.kind, `${where}.roleRef.kind`);
  if (refKind !== "ClusterRole" && (refKind !== "Role" || kind === "ClusterRoleBinding")) {
    throw new PolicyError(`${where}.roleRef.kind: must be ${kind === "RoleBinding" ? "Role or ClusterRole" : "ClusterRole"}`);
  }
  if (str(v.roleRef.apiGroup, `${where}.roleRef.apiGroup`, false) !== RBAC) throw new PolicyError(`${where}.roleRef.apiGroup: must be "${RBAC}"`);
  if (!Array.isArray(v.subjects)) throw new PolicyError(`${where}.subjects: must be a list`);
  const subjects = v.subjects.map((s, i) => parseSubject(s, `${where}.subjects[${i}]`, kind));
  if (p.bindings.some((b) => b.kind === kind && b.name === name && b.namespace === namespace)) throw new PolicyError(`${where}: defined twice`);
  p.bindings.push({ kind: kind as PolicyBinding["kind"], name, namespace, roleRef: { kind: refKind, name: str(v.roleRef.name, `${where}.roleRef.name`) }, subjects });
}

/** Parses policy text (YAML documents or JSON); `source` names it in errors. Throws PolicyError. */
export function parsePolicy(text: string, source: string): Policy {
  if (text.length > MAX_POLICY_BYTES) throw new PolicyError(`${source}: larger than ${MAX_POLICY_BYTES} bytes`);
  const policy: Policy = { roles: [], bindings: [] };
  let docs;
  try {
    docs = parseAllDocuments(text, { uniqueKeys: true });
  } catch (e) {
    throw new PolicyError(`${source}: not valid YAML or JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(docs)) throw new PolicyError(`${source}: not valid YAML or JSON`);
  let n = 0;
  for (const doc of docs) {
    n++;
    if (doc.errors.length) throw new PolicyError(`${source}: document ${n}: not valid YAML or JSON: ${doc.errors[0]!.message}`);
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      throw new PolicyError(`${source}: document ${n}: ${(e as Error).message}`);
    }
    if (value === null || value === undefined) continue; // an empty document (e.g. a trailing ---)
    parseObject(value, `${source}: document ${n}`, policy);
  }
  return policy;
}
