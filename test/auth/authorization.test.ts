/**
 * Authorization by the RBAC policy file through real HTTP: every verb (get, list, watch, create,
 * update, patch, delete, deletecollection, status update and patch) is allowed for a user a binding
 * grants it to and forbidden — with kube-apiserver's exact 403 Status — for one it is not; Role
 * bindings stay in their namespace, resourceNames restrict to named objects, `services/status` is
 * its own resource, system:masters may do everything, discovery is open to every user.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createConfiguredAuthorizer, type ConfiguredAuthorizer } from "../../src/apiserver/auth/authorizer-config.ts";
import { startAuthzStack, watchStatus, type AuthzStack } from "./authorization-harness.ts";

const G = "netguard.sgroups.io";
const GV = `/apis/${G}/v1beta1`;
const ns = (n: string) => `${GV}/namespaces/${n}/services`;

const POLICY = `
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: service-editor, namespace: shop}
rules:
- apiGroups: [${G}]
  resources: [services]
  verbs: [get, list, watch, create, update, patch, delete, deletecollection]
- apiGroups: [${G}]
  resources: ["*/status"]
  verbs: [get, update, patch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: alice-edits-shop, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: service-editor}
subjects:
- {kind: User, apiGroup: rbac.authorization.k8s.io, name: alice}
- {kind: ServiceAccount, name: deployer}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: netguard-reader}
rules:
- apiGroups: ["*"]
  resources: ["*"]
  verbs: [get, list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: auditors-read}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: netguard-reader}
subjects:
- {kind: Group, apiGroup: rbac.authorization.k8s.io, name: auditors}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: web-only}
rules:
- apiGroups: [${G}]
  resources: [services]
  resourceNames: [web]
  verbs: [get, update]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: dave-web, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: web-only}
subjects:
- {kind: User, name: dave}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: spec-writer}
rules:
- apiGroups: [${G}]
  resources: [services]
  verbs: ["*"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: carol-spec}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: spec-writer}
subjects:
- {kind: User, name: carol}
`;

const service = (name: string, namespace = "shop") => ({
  apiVersion: `${G}/v1beta1`,
  kind: "Service",
  metadata: { name, namespace },
  spec: { description: "d", ingressPorts: [{ protocol: "TCP", port: "80" }] },
});

let authz: ConfiguredAuthorizer;
let s: AuthzStack;
beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "netguard-authz-"));
  writeFileSync(join(dir, "policy.yaml"), POLICY);
  authz = createConfiguredAuthorizer({ policyFile: join(dir, "policy.yaml"), kubeconfig: "", allowTtlMs: 0, denyTtlMs: 0, timeoutMs: 1000 });
  s = await startAuthzStack({ authorizer: authz });
  for (const n of ["web", "api", "gone", "patched"]) {
    const r = await s.as("admin", ["system:masters"], "POST", ns("shop"), service(n));
    expect(r.status).toBe(201);
  }
});
afterAll(async () => {
  authz.close();
  await s.close();
});

const forbidden = (user: string, verb: string, resource: string, where: string, name?: string) =>
  `${resource.split("/")[0]}.${G}${name ? ` "${name}"` : ""} is forbidden: User "${user}" cannot ${verb} resource "${resource}" in API group "${G}" ${where}`;

describe("policy file: every verb", () => {
  const MERGE = { "content-type": "application/merge-patch+json" };
  test("get: allowed by the RoleBinding, forbidden with kube's exact Status otherwise", async () => {
    expect((await s.as("alice", [], "GET", `${ns("shop")}/web`)).status).toBe(200);
    const r = await s.as("bob", [], "GET", `${ns("shop")}/web`);
    expect(r.status).toBe(403);
    expect(r.body).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: forbidden("bob", "get", "services", `in the namespace "shop"`, "web"),
      reason: "Forbidden",
      details: { name: "web", group: G, kind: "services" },
      code: 403,
    });
  });

  test("list: namespaced allowed; cluster scope needs a ClusterRoleBinding", async () => {
    expect((await s.as("alice", [], "GET", ns("shop"))).status).toBe(200);
    const all = await s.as("alice", [], "GET", `${GV}/services`);
    expect(all.status).toBe(403);
    expect(all.body.message).toBe(forbidden("alice", "list", "services", "at the cluster scope"));
    expect(all.body.details).toEqual({ group: G, kind: "services" });
    expect((await s.as("eve", ["auditors"], "GET", `${GV}/services`)).status).toBe(200);
  });

  test("a RoleBinding grants nothing outside its namespace", async () => {
    const r = await s.as("alice", [], "GET", ns("other"));
    expect(r.status).toBe(403);
    expect(r.body.message).toBe(forbidden("alice", "list", "services", `in the namespace "other"`));
  });

  test("watch (?watch=true and the /watch/ prefix) is its own verb", async () => {
    expect((await watchStatus(s, "alice", [], `${ns("shop")}?watch=true`)).status).toBe(200);
    const denied = await watchStatus(s, "bob", [], `${ns("shop")}?watch=true`);
    expect(denied.status).toBe(403);
    expect(denied.body.message).toBe(forbidden("bob", "watch", "services", `in the namespace "shop"`));
    const prefixed = await watchStatus(s, "bob", [], `${GV}/watch/namespaces/shop/services`);
    expect(prefixed.body.message).toBe(forbidden("bob", "watch", "services", `in the namespace "shop"`));
    // a watch whose field selector pins the name is a watch of that object
    const named = await watchStatus(s, "bob", [], `${ns("shop")}?watch=1&fieldSelector=metadata.name%3Dweb`);
    expect(named.body.message).toBe(forbidden("bob", "watch", "services", `in the namespace "shop"`, "web"));
  });

  test("create", async () => {
    expect((await s.as("alice", [], "POST", ns("shop"), service("by-alice"))).status).toBe(201);
    const r = await s.as("bob", [], "POST", ns("shop"), service("by-bob"));
    expect(r.status).toBe(403);
    expect(r.body.message).toBe(forbidden("bob", "create", "services", `in the namespace "shop"`));
    expect((await s.as("admin", ["system:masters"], "GET", `${ns("shop")}/by-bob`)).status).toBe(404);
  });

  test("update", async () => {
    const live = (await s.as("alice", [], "GET", `${ns("shop")}/web`)).body;
    live.spec.description = "by alice";
    expect((await s.as("alice", [], "PUT", `${ns("shop")}/web`, live)).status).toBe(200);
    const r = await s.as("bob", [], "PUT", `${ns("shop")}/web`, live);
    expect(r.status).toBe(403);
    expect(r.body.message).toBe(forbidden("bob", "update", "services", `in the namespace "shop"`, "web"));
  });

  test("patch", async () => {
    expect((await s.as("alice", [], "PATCH", `${ns("shop")}/patched`, { spec: { description: "p" } }, MERGE)).status).toBe(200);
    const r = await s.as("bob", [], "PATCH", `${ns("shop")}/patched`, { spec: { description: "q" } }, MERGE);
    expect(r.status).toBe(403);
    expect(r.body.message).toBe(forbidden("bob", "patch", "services", `in the namespace "shop"`, "patched"));
  });

  test("status update and patch are authorized as services/status", async () => {
    const live = (await s.as("alice", [], "GET", `${ns("shop")}/api/status`)).body;
    expect((await s.as("alice", [], "PUT", `${ns("shop")}/api/status`, live)).status).toBe(200);
    // carol may do anything to services, but services/status is another resource
    const r = await s.as("carol", [], "PUT", `${ns("shop")}/api/status`, live);
    expect(r.status).toBe(403);
    expect(r.body.message).toBe(forbidden("carol", "update", "services/status", `in the namespace "shop"`, "api"));
    expect(r.body.details).toEqual({ name: "api", group: G, kind: "services" });
    const p = await s.as("carol", [], "PATCH", `${ns("shop")}/api/status`, { status: {} }, MERGE);
    expect(p.body.message).toBe(forbidden("carol", "patch", "services/status", `in the namespace "shop"`, "api"));
    expect((await s.as("alice", [], "PATCH", `${ns("shop")}/api/status`, { status: {} }, MERGE)).status).toBe(200);
  });

  test("delete", async () => {
    const r = await s.as("bob", [], "DELETE", `${ns("shop")}/gone`);
    expect(r.status).toBe(403);
    expect(r.body.message).toBe(forbidden("bob", "delete", "services", `in the namespace "shop"`, "gone"));
    expect((await s.as("alice", [], "DELETE", `${ns("shop")}/gone`)).status).toBe(200);
  });

  test("deletecollection", async () => {
    const r = await s.as("bob", [], "DELETE", `${ns("shop")}?labelSelector=none%3Dnone`);
    expect(r.status).toBe(403);
    expect(r.body.message).toBe(forbidden("bob", "deletecollection", "services", `in the namespace "shop"`));
    expect((await s.as("alice", [], "DELETE", `${ns("shop")}?labelSelector=none%3Dnone`)).status).toBe(200);
  });
});

describe("policy file: RBAC details", () => {
  test("resourceNames allow only the named object, and never a list", async () => {
    expect((await s.as("dave", [], "GET", `${ns("shop")}/web`)).status).toBe(200);
    expect((await s.as("dave", [], "GET", `${ns("shop")}/api`)).status).toBe(403);
    expect((await s.as("dave", [], "GET", ns("shop"))).status).toBe(403);
  });

  test("a ServiceAccount subject without namespace is the binding's namespace's account", async () => {
    expect((await s.as("system:serviceaccount:shop:deployer", [], "GET", `${ns("shop")}/web`)).status).toBe(200);
    expect((await s.as("system:serviceaccount:other:deployer", [], "GET", `${ns("shop")}/web`)).status).toBe(403);
  });

  test("system:masters may do everything", async () => {
    expect((await s.as("root", ["system:masters"], "GET", `${GV}/addressgroups`)).status).toBe(200);
  });

  test("discovery and OpenAPI are open to every authenticated user; other paths follow nonResourceURLs", async () => {
    expect((await s.as("bob", [], "GET", "/apis")).status).toBe(200);
    expect((await s.as("bob", [], "GET", GV)).status).toBe(200);
    expect((await s.as("bob", [], "GET", "/openapi/v3")).status).toBe(200);
    const r = await s.as("bob", [], "GET", "/not-here");
    expect(r.status).toBe(403);
    expect(r.body.message).toBe(`forbidden: User "bob" cannot get path "/not-here"`);
    expect(r.body.details).toEqual({});
  });

  test("the namespace lookup kubectl makes is a core-group get of namespaces", async () => {
    const r = await s.as("bob", [], "GET", "/api/v1/namespaces/shop");
    expect(r.status).toBe(403);
    expect(r.body.message).toBe(`namespaces "shop" is forbidden: User "bob" cannot get resource "namespaces" in API group "" in the namespace "shop"`);
  });
});
