/**
 * The policy file is reloaded while the server runs: a grant added to the file takes effect without
 * a restart, a file that no longer validates is logged and the last good policy stays in force, and
 * hostile or malformed files are refused with the document and field named.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPolicyAuthorizer } from "../../src/apiserver/auth/policy-authorizer.ts";
import { parsePolicy, PolicyError } from "../../src/apiserver/auth/policy-file.ts";
import { createPolicyReloader, type PolicyReloader } from "../../src/apiserver/auth/policy-reloader.ts";
import { startAuthzStack, type AuthzStack } from "./authorization-harness.ts";

const grant = (user: string) => `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: reader}
rules: [{apiGroups: [netguard.sgroups.io], resources: [services], verbs: [list]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: readers}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reader}
subjects: [{kind: User, name: ${user}}]
`;
const LIST = "/apis/netguard.sgroups.io/v1beta1/namespaces/shop/services";

async function until(what: string, ok: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(25);
  }
}

describe("policy reload", () => {
  let file: string;
  let reloader: PolicyReloader;
  let s: AuthzStack;
  const logs: string[] = [];
  beforeAll(async () => {
    file = join(mkdtempSync(join(tmpdir(), "netguard-policy-")), "policy.yaml");
    writeFileSync(file, grant("alice"));
    reloader = createPolicyReloader(file, { intervalMs: 30, log: (l) => logs.push(l) });
    s = await startAuthzStack({ authorizer: createPolicyAuthorizer(reloader.current) });
  });
  afterAll(async () => {
    reloader.close();
    await s.close();
  });

  // Each test first puts the policy it starts from in place (tests may run in any order).
  test("a change to the file takes effect without a restart", async () => {
    writeFileSync(file, grant("alice"));
    await until("alice's grant", async () => (await s.as("alice", [], "GET", LIST)).status === 200);
    expect((await s.as("bob", [], "GET", LIST)).status).toBe(403);
    writeFileSync(file, grant("bob"));
    await until("bob's grant", async () => (await s.as("bob", [], "GET", LIST)).status === 200);
    expect((await s.as("alice", [], "GET", LIST)).status).toBe(403);
    expect(logs.some((l) => l.includes("reloaded"))).toBe(true);
  });

  test("a bad edit is logged and the last good policy stays", async () => {
    writeFileSync(file, grant("bob"));
    await until("bob's grant", async () => (await s.as("bob", [], "GET", LIST)).status === 200);
    const failuresBefore = logs.filter((l) => l.includes("reload failed")).length;
    writeFileSync(file, `${grant("bob")}\n---\nkind: ClusterRole\napiVersion: rbac.authorization.k8s.io/v1\nmetadata: {name: broken}\nrules: [{verbs: []}]\n`);
    const failures = () => logs.filter((l) => l.includes("reload failed"));
    await until("the reload error", async () => failures().length > failuresBefore);
    expect(failures()[failuresBefore]).toContain("keeping the last good policy");
    expect(failures()[failuresBefore]).toContain("rules[0].verbs");
    expect((await s.as("bob", [], "GET", LIST)).status).toBe(200);
    writeFileSync(file, "[[[ not yaml");
    await until("the second reload error", async () => failures().length > failuresBefore + 1);
    expect((await s.as("bob", [], "GET", LIST)).status).toBe(200);
  });
});

describe("policy file validation", () => {
  const bad = (text: string) => {
    try {
      parsePolicy(text, "p.yaml");
    } catch (e) {
      expect(e).toBeInstanceOf(PolicyError);
      return (e as Error).message;
    }
    throw new Error("accepted");
  };
  const head = "apiVersion: rbac.authorization.k8s.io/v1\n";

  test("shape errors name the document and the field", () => {
    expect(bad(`${head}kind: Role\nmetadata: {name: r}\nrules: []\n`)).toBe("p.yaml: document 1.metadata.namespace: required");
    expect(bad(`${head}kind: ClusterRole\nmetadata: {name: r}\nrules: [{verbs: [get], resources: [services]}]\n`)).toContain(`(ClusterRole "r").rules[0].apiGroups: resource rules must name at least one API group`);
    expect(bad(`${head}kind: Role\nmetadata: {name: r, namespace: a}\nrules: [{verbs: [get], nonResourceURLs: [/x]}]\n`)).toContain("only a ClusterRole may have them");
    expect(bad(`${head}kind: ClusterRole\nmetadata: {name: r}\nrules: [{verbs: [get], apiGroups: [""], resources: [a], nonResourceURLs: [/x]}]\n`)).toContain("both resources and nonResourceURLs");
    expect(bad(`${head}kind: ClusterRoleBinding\nmetadata: {name: b}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}\nsubjects: []\n`)).toContain("roleRef.kind: must be ClusterRole");
    expect(bad(`${head}kind: ClusterRoleBinding\nmetadata: {name: b}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: r}\nsubjects: [{kind: ServiceAccount, name: sa}]\n`)).toContain("subjects[0].namespace: required");
    expect(bad(`${head}kind: ClusterRoleBinding\nmetadata: {name: b}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: r}\nsubjects: [{kind: Robot, name: x}]\n`)).toContain(`"Robot" must be User, Group or ServiceAccount`);
    expect(bad(`${head}kind: ClusterRole\nmetadata: {name: r}\nrules: [{verbs: [get], apiGroups: [""], resources: [a], verb: [x]}]\n`)).toContain(`unknown field "verb"`);
    expect(bad(`${head}kind: Secret\nmetadata: {name: r}\n`)).toContain(`"Secret" must be Role, ClusterRole`);
    expect(bad(`apiVersion: v1\nkind: ClusterRole\nmetadata: {name: r}\n`)).toContain(`apiVersion: must be "rbac.authorization.k8s.io/v1"`);
    expect(bad(`${head}kind: ClusterRole\nmetadata: {name: r}\n---\n${head}kind: ClusterRole\nmetadata: {name: r}\n`)).toContain("defined twice");
  });

  test("hostile YAML is refused, not expanded", () => {
    const bomb = ["a: &a [x,x,x,x,x,x,x,x,x,x]", ...Array.from({ length: 9 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`)].join("\n");
    expect(bad(bomb)).toContain("p.yaml: document 1");
    expect(bad(`{"kind":"List","items":[{"__proto__":{"kind":"x"}}]}`)).toContain("items[0].kind: required");
    expect(bad("kind: ClusterRole\nkind: Role\n")).toContain("not valid YAML or JSON");
  });

  test("a List of RBAC objects (kubectl get -o yaml) and JSON are read", () => {
    const p = parsePolicy(JSON.stringify({ apiVersion: "v1", kind: "List", metadata: {}, items: [{ apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: "x", uid: "u", resourceVersion: "1" }, rules: [] }] }), "p.json");
    expect(p.roles.map((r) => r.name)).toEqual(["x"]);
  });
});
