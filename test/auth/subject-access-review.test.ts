/**
 * SubjectAccessReview delegation against a real HTTPS server in this suite that implements the
 * documented authorization.k8s.io/v1 API (no kube-apiserver can run here): it checks the bearer
 * token from the kubeconfig, records each review and answers allowed / denied / no opinion. Through
 * real HTTP to the API server: allowed and denied requests, the review's spec field by field,
 * answers cached for their TTL (the server counts calls), and failing closed when the kube-apiserver
 * is unreachable or does not answer in time.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { createConfiguredAuthorizer, type ConfiguredAuthorizer } from "../../src/apiserver/auth/authorizer-config.ts";
import { certDir, createTestCa } from "../helpers/test-certs.ts";
import { startAuthzStack, type AuthzStack } from "./authorization-harness.ts";

const G = "netguard.sgroups.io";
const LIST = `/apis/${G}/v1beta1/namespaces/shop/services`;
const TOKEN = "sar-test-token";

interface Review {
  apiVersion: string;
  kind: string;
  spec: any;
}

const dir = certDir();
const ca = createTestCa(dir, "kube-ca");
const serving = ca.server("kube-apiserver");
const reviews: Review[] = [];
let hang = false;
let sar: Server;
let sarPort = 0;

function kubeconfig(name: string, server: string): string {
  const file = join(dir, `${name}.kubeconfig`);
  writeFileSync(
    file,
    `apiVersion: v1
kind: Config
clusters:
- name: kube
  cluster: {server: "${server}", certificate-authority: kube-ca.crt}
users:
- name: netguard
  user: {token: ${TOKEN}}
contexts:
- name: kube
  context: {cluster: kube, user: netguard}
current-context: kube
`,
  );
  return file;
}

beforeAll(async () => {
  sar = createServer({ cert: readFileSync(serving.cert), key: readFileSync(serving.key) }, (req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      if (hang) return; // never answers
      if (req.method !== "POST" || req.url !== "/apis/authorization.k8s.io/v1/subjectaccessreviews" || req.headers.authorization !== `Bearer ${TOKEN}`) {
        res.writeHead(401, { "content-type": "application/json" });
        res.end(JSON.stringify({ kind: "Status", apiVersion: "v1", status: "Failure", message: "Unauthorized", reason: "Unauthorized", code: 401 }));
        return;
      }
      const review = JSON.parse(body) as Review;
      reviews.push(review);
      const user = review.spec.user as string;
      const status = user === "alice" ? { allowed: true, reason: "RBAC: allowed by test" } : user === "mallory" ? { allowed: false, denied: true, reason: "mallory is banned" } : { allowed: false };
      res.writeHead(201, { "content-type": "application/json" });
      res.end(JSON.stringify({ ...review, status }));
    });
  });
  await new Promise<void>((resolve) => sar.listen(0, "127.0.0.1", resolve));
  sarPort = (sar.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => sar.close(() => resolve())));

describe("SubjectAccessReview delegation", () => {
  let authz: ConfiguredAuthorizer;
  let s: AuthzStack;
  beforeAll(async () => {
    authz = createConfiguredAuthorizer({ policyFile: "", kubeconfig: kubeconfig("ok", `https://127.0.0.1:${sarPort}`), allowTtlMs: 60_000, denyTtlMs: 150, timeoutMs: 2000 });
    s = await startAuthzStack({ authorizer: authz });
  });
  afterAll(async () => {
    authz.close();
    await s.close();
  });

  test("allowed: the review carries the user and the request's attributes", async () => {
    reviews.length = 0;
    expect((await s.as("alice", ["devs"], "GET", `${LIST}/web`)).status).toBe(404); // allowed; the object does not exist
    expect(reviews).toHaveLength(1);
    expect(reviews[0]).toMatchObject({ apiVersion: "authorization.k8s.io/v1", kind: "SubjectAccessReview" });
    expect(reviews[0]!.spec).toEqual({
      user: "alice",
      groups: ["devs", "system:authenticated"],
      resourceAttributes: { namespace: "shop", verb: "get", group: G, version: "v1beta1", resource: "services", subresource: "", name: "web" },
    });
  });

  test("allowed answers are cached by user, groups and attributes", async () => {
    reviews.length = 0;
    for (let i = 0; i < 5; i++) expect((await s.as("alice", ["devs"], "GET", LIST)).status).toBe(200);
    expect(reviews).toHaveLength(1);
    await s.as("alice", ["ops"], "GET", LIST); // other groups: another review
    await s.as("alice", ["devs"], "GET", `${LIST}?watch=0&limit=1`); // same attributes: cached
    expect(reviews).toHaveLength(2);
  });

  test("denied: 403 with the reviewer's reason; denials are cached for deny_ttl only", async () => {
    reviews.length = 0;
    const r = await s.as("mallory", [], "GET", LIST);
    expect(r.status).toBe(403);
    expect(r.body.message).toBe(`services.${G} is forbidden: User "mallory" cannot list resource "services" in API group "${G}" in the namespace "shop": mallory is banned`);
    await s.as("mallory", [], "GET", LIST);
    expect(reviews).toHaveLength(1);
    await Bun.sleep(200);
    await s.as("mallory", [], "GET", LIST);
    expect(reviews).toHaveLength(2);
  });

  test("no opinion from the reviewer is forbidden; discovery is decided locally", async () => {
    reviews.length = 0;
    expect((await s.as("bob", [], "DELETE", `${LIST}/web`)).status).toBe(403);
    expect((await s.as("bob", [], "GET", "/apis")).status).toBe(200);
    expect(reviews.map((r) => r.spec.resourceAttributes?.verb)).toEqual(["delete"]);
  });
});

describe("SubjectAccessReview failures fail closed", () => {
  test("unreachable kube-apiserver: 500, nothing served", async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const closedPort = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const authz = createConfiguredAuthorizer({ policyFile: "", kubeconfig: kubeconfig("closed", `https://127.0.0.1:${closedPort}`), allowTtlMs: 10_000, denyTtlMs: 10_000, timeoutMs: 2000 });
    const s = await startAuthzStack({ authorizer: authz });
    try {
      const r = await s.as("alice", [], "POST", LIST, { apiVersion: `${G}/v1beta1`, kind: "Service", metadata: { name: "x", namespace: "shop" }, spec: {} });
      expect(r.status).toBe(500);
      expect(r.body.reason).toBe("InternalError");
      expect(r.body.message).toContain("authorization could not be decided: SubjectAccessReview failed");
      expect((await s.as("root", ["system:masters"], "GET", `${LIST}/x`)).status).toBe(404);
    } finally {
      authz.close();
      await s.close();
    }
  });

  test("a kube-apiserver that does not answer: 500 after the deadline", async () => {
    hang = true;
    const authz = createConfiguredAuthorizer({ policyFile: "", kubeconfig: kubeconfig("slow", `https://127.0.0.1:${sarPort}`), allowTtlMs: 10_000, denyTtlMs: 10_000, timeoutMs: 300 });
    const s = await startAuthzStack({ authorizer: authz });
    try {
      const started = Date.now();
      const r = await s.as("alice", [], "GET", LIST);
      expect(r.status).toBe(500);
      expect(r.body.message).toContain("no answer within 300 ms");
      // bounded by the 300 ms deadline, not the test's timeout; generous for a loaded 2-core machine
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      hang = false;
      authz.close();
      await s.close();
    }
  });

  test("a wrong token is an error, not a denial cached as an answer", async () => {
    const file = kubeconfig("badtoken", `https://127.0.0.1:${sarPort}`);
    writeFileSync(file, readFileSync(file, "utf8").replace(TOKEN, "wrong"));
    const authz = createConfiguredAuthorizer({ policyFile: "", kubeconfig: file, allowTtlMs: 10_000, denyTtlMs: 10_000, timeoutMs: 2000 });
    const s = await startAuthzStack({ authorizer: authz });
    try {
      const r = await s.as("alice", [], "GET", LIST);
      expect(r.status).toBe(500);
      expect(r.body.message).toContain("HTTP 401: Unauthorized");
    } finally {
      authz.close();
      await s.close();
    }
  });

  test("an unusable kubeconfig stops start-up with the field named", () => {
    const file = join(dir, "exec.kubeconfig");
    writeFileSync(file, `clusters: [{name: k, cluster: {server: "https://x"}}]\nusers: [{name: u, user: {exec: {command: x}}}]\ncontexts: [{name: c, context: {cluster: k, user: u}}]\ncurrent-context: c\n`);
    expect(() => createConfiguredAuthorizer({ policyFile: "", kubeconfig: file, allowTtlMs: 1, denyTtlMs: 1, timeoutMs: 1 })).toThrow(`user "u": exec is not supported`);
  });
});
