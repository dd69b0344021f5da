/**
 * Authentication on the HTTPS API server, end to end over real TLS: anonymous requests, bearer
 * tokens from the token file (and its reload), client certificates of the client CA, and the front
 * proxy's X-Remote-* headers, believed only with a certificate of the front-proxy CA whose CN is
 * allowed. The user is read back through a test route that echoes requestUser(req).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { appendFileSync } from "node:fs";
import { ADMIN_TOKEN, startTlsApiStack, type TlsApiStack } from "../helpers/tls-api-stack.ts";
import { pem, type CertFiles } from "../helpers/test-certs.ts";

let s: TlsApiStack;
beforeAll(async () => {
  s = await startTlsApiStack({ allowedNames: ["front-proxy"] });
});
afterAll(async () => {
  await s?.close();
});

function get(path: string, o: { headers?: Record<string, string>; cert?: CertFiles } = {}): Promise<Response> {
  return fetch(`${s.api.url}${path}`, {
    headers: o.headers,
    tls: { ca: pem(s.ca.cert), ...(o.cert ? { cert: pem(o.cert.cert), key: pem(o.cert.key) } : {}) },
  } as RequestInit);
}

async function whoami(o: Parameters<typeof get>[1] = {}): Promise<{ status: number; body: unknown }> {
  const r = await get("/test/whoami", o);
  return { status: r.status, body: await r.json() };
}

const UNAUTHORIZED = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "Unauthorized", reason: "Unauthorized", code: 401 };

describe("anonymous requests", () => {
  test("are 401 Unauthorized Status bodies on API paths", async () => {
    const r = await get("/apis/netguard.sgroups.io/v1beta1/namespaces/shop/services");
    expect(r.status).toBe(401);
    expect(await r.json()).toEqual(UNAUTHORIZED);
    expect((await get("/apis")).status).toBe(401);
    expect((await get("/openapi/v3")).status).toBe(401);
  });

  test("reach /healthz, /livez, /readyz and /version", async () => {
    for (const p of ["/healthz", "/livez", "/readyz", "/version"]) expect([p, (await get(p)).status]).toEqual([p, 200]);
  });

  test("with an invalid token are 401 even on /healthz (as kube-apiserver)", async () => {
    expect((await get("/healthz", { headers: { authorization: "Bearer nope-nope-nope" } })).status).toBe(401);
  });
});

describe("bearer tokens from the token file", () => {
  test("authenticate user, uid and groups, plus system:authenticated", async () => {
    const r = await whoami({ headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(r).toEqual({ status: 200, body: { name: "admin", uid: "uid-1", groups: ["system:masters", "ops", "system:authenticated"], extra: {} } });
  });

  test("the scheme is case-insensitive; an unknown token is 401", async () => {
    expect((await whoami({ headers: { authorization: `bearer ${ADMIN_TOKEN}` } })).status).toBe(200);
    expect((await whoami({ headers: { authorization: "Bearer unknown-token-xyz" } })).status).toBe(401);
  });

  test("a token added to the file works after the reload", async () => {
    const token = "added-later-0123456789";
    expect((await whoami({ headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    appendFileSync(s.tokenFile, `${token},bob,uid-2\n`);
    const deadline = Date.now() + 5000;
    let r = await whoami({ headers: { authorization: `Bearer ${token}` } });
    while (r.status !== 200 && Date.now() < deadline) {
      await Bun.sleep(50);
      r = await whoami({ headers: { authorization: `Bearer ${token}` } });
    }
    expect(r).toEqual({ status: 200, body: { name: "bob", uid: "uid-2", groups: ["system:authenticated"], extra: {} } });
  });
});

describe("client certificates", () => {
  test("of the client CA authenticate CN as user and O as groups", async () => {
    const r = await whoami({ cert: s.clientCa.client("alice", ["devs", "ops"]) });
    expect(r).toEqual({ status: 200, body: { name: "alice", groups: ["devs", "ops", "system:authenticated"], extra: {} } });
  });

  test("of another CA are 401", async () => {
    expect(await whoami({ cert: s.otherCa.client("mallory", ["system:masters"]) })).toEqual({ status: 401, body: UNAUTHORIZED });
  });

  test("of the front-proxy CA are not users themselves", async () => {
    expect((await whoami({ cert: s.frontProxyCa.client("front-proxy") })).status).toBe(401);
  });
});

describe("front-proxy headers", () => {
  const headers = { "X-Remote-User": "carol", "X-Remote-Group": "team-a", "X-Remote-Extra-Scopes": "read", "X-Remote-Extra-Acme.com%2Fproject": "p1" };

  test("are ignored without a client certificate", async () => {
    expect((await whoami({ headers })).status).toBe(401);
  });

  test("are refused with a certificate of another CA, even with the allowed CN", async () => {
    expect((await whoami({ headers, cert: s.otherCa.client("front-proxy") })).status).toBe(401);
  });

  test("are ignored with a certificate of the client CA: the certificate's own user is authenticated", async () => {
    const r = await whoami({ headers, cert: s.clientCa.client("front-proxy") });
    expect(r).toEqual({ status: 200, body: { name: "front-proxy", groups: ["system:authenticated"], extra: {} } });
  });

  test("are refused when the front-proxy certificate's CN is not allowed", async () => {
    expect((await whoami({ headers, cert: s.frontProxyCa.client("someone-else") })).status).toBe(401);
  });

  test("with the front proxy's certificate attach user, groups and extra", async () => {
    const r = await whoami({ headers, cert: s.frontProxyCa.client("front-proxy") });
    expect(r).toEqual({
      status: 200,
      body: { name: "carol", groups: ["team-a", "system:authenticated"], extra: { scopes: ["read"], "acme.com/project": ["p1"] } },
    });
  });
});
