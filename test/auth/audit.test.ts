/**
 * The audit trail through real HTTP: one audit.k8s.io/v1 Event line per mutating request (create,
 * update, patch, status update, delete, deletecollection — allowed, forbidden or failed), none for
 * reads, written to the configured file; who, verb, objectRef, code and requestURI are there, and
 * a secret that only the request body carried never is.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createConfiguredAuditLog, type AuditLog } from "../../src/apiserver/auth/audit-log.ts";
import { createConfiguredAuthorizer, type ConfiguredAuthorizer } from "../../src/apiserver/auth/authorizer-config.ts";
import { startAuthzStack, type AuthzStack } from "./authorization-harness.ts";

const G = "netguard.sgroups.io";
const LIST = `/apis/${G}/v1beta1/namespaces/shop/services`;
const SECRET = "s3cr3t-body-value-7f1c";
const MERGE = { "content-type": "application/merge-patch+json" };

let dir: string;
let file: string;
let audit: AuditLog;
let authz: ConfiguredAuthorizer;
let s: AuthzStack;
const lines = () =>
  readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "netguard-audit-"));
  file = join(dir, "audit.log");
  writeFileSync(
    join(dir, "policy.yaml"),
    `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: all}
rules: [{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: alice-all}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: all}
subjects: [{kind: User, name: alice}]
`,
  );
  audit = createConfiguredAuditLog(file);
  authz = createConfiguredAuthorizer({ policyFile: join(dir, "policy.yaml"), kubeconfig: "", allowTtlMs: 0, denyTtlMs: 0, timeoutMs: 1000 });
  s = await startAuthzStack({ authorizer: authz, audit });
});
afterAll(async () => {
  authz.close();
  audit.close();
  await s.close();
});

const service = (name: string, description: string) => ({
  apiVersion: `${G}/v1beta1`,
  kind: "Service",
  metadata: { name, namespace: "shop", annotations: { token: SECRET } },
  spec: { description, ingressPorts: [{ protocol: "TCP", port: "80" }] },
});

describe("audit log", () => {
  test("one line per mutating request with who, what, where and the code; none for reads", async () => {
    expect((await s.as("alice", ["devs"], "POST", `${LIST}?fieldManager=t`, service("web", SECRET), { "user-agent": "audit-test" })).status).toBe(201);
    const live = (await s.as("alice", ["devs"], "GET", `${LIST}/web`)).body;
    await s.as("alice", ["devs"], "GET", LIST);
    live.spec.description = `updated ${SECRET}`;
    expect((await s.as("alice", ["devs"], "PUT", `${LIST}/web`, live)).status).toBe(200);
    expect((await s.as("alice", ["devs"], "PATCH", `${LIST}/web`, { metadata: { labels: { x: "y" } } }, MERGE)).status).toBe(200);
    expect((await s.as("alice", ["devs"], "PATCH", `${LIST}/web/status`, { status: {} }, MERGE)).status).toBe(200);
    expect((await s.as("bob", [], "POST", LIST, service("nope", SECRET))).status).toBe(403);
    expect((await s.as("alice", ["devs"], "POST", LIST, { ...service("bad", SECRET), spec: { ingressPorts: [{ protocol: "TCP", port: SECRET }] } })).status).toBe(422);
    expect((await s.as("alice", ["devs"], "DELETE", `${LIST}/web`)).status).toBe(200);
    expect((await s.as("alice", ["devs"], "DELETE", `${LIST}?labelSelector=a%3Db`)).status).toBe(200);

    const events = lines();
    expect(events.map((e) => [e.user.username, e.verb, e.objectRef.name ?? "", e.objectRef.subresource ?? "", e.responseStatus.code])).toEqual([
      ["alice", "create", "", "", 201],
      ["alice", "update", "web", "", 200],
      ["alice", "patch", "web", "", 200],
      ["alice", "patch", "web", "status", 200],
      ["bob", "create", "", "", 403],
      ["alice", "create", "", "", 422],
      ["alice", "delete", "web", "", 200],
      ["alice", "deletecollection", "", "", 200],
    ]);
    const first = events[0];
    expect(first).toMatchObject({
      kind: "Event",
      apiVersion: "audit.k8s.io/v1",
      level: "Metadata",
      stage: "ResponseComplete",
      requestURI: `${LIST}?fieldManager=t`,
      user: { username: "alice", groups: ["devs", "system:authenticated"] },
      sourceIPs: ["127.0.0.1"],
      userAgent: "audit-test",
      objectRef: { resource: "services", namespace: "shop", apiGroup: G, apiVersion: "v1beta1" },
      responseStatus: { metadata: {}, code: 201 },
      annotations: { "authorization.k8s.io/decision": "allow" },
    });
    expect(Date.parse(first.requestReceivedTimestamp)).toBeLessThanOrEqual(Date.parse(first.stageTimestamp));
    expect(events[4]).toMatchObject({ responseStatus: { code: 403, status: "Failure", reason: "Forbidden" }, annotations: { "authorization.k8s.io/decision": "forbid" } });
    expect(events[5].responseStatus).toEqual({ metadata: {}, code: 422, status: "Failure", reason: "Invalid" });
    expect(readFileSync(file, "utf8")).not.toContain(SECRET);
  });
});
