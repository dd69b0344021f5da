/**
 * `api.anonymous_discovery: true`: discovery and OpenAPI answer without credentials (kubectl's
 * discovery before login, as kube-apiserver's system:discovery binding allows), while every
 * resource path stays 401.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startTlsApiStack, type TlsApiStack } from "../helpers/tls-api-stack.ts";
import { pem } from "../helpers/test-certs.ts";

let s: TlsApiStack;
beforeAll(async () => {
  s = await startTlsApiStack({ anonymousDiscovery: true });
});
afterAll(async () => {
  await s?.close();
});

const get = (path: string) => fetch(`${s.api.url}${path}`, { tls: { ca: pem(s.ca.cert) } } as RequestInit);

describe("anonymous discovery", () => {
  test("discovery and OpenAPI answer anonymous requests", async () => {
    for (const p of ["/api", "/apis", "/apis/netguard.sgroups.io", "/apis/netguard.sgroups.io/v1beta1", "/openapi/v2", "/openapi/v3"]) {
      expect([p, (await get(p)).status]).toEqual([p, 200]);
    }
  });

  test("resource paths stay 401 for anonymous requests", async () => {
    const r = await get("/apis/netguard.sgroups.io/v1beta1/namespaces/shop/services");
    expect(r.status).toBe(401);
    expect(((await r.json()) as { reason: string }).reason).toBe("Unauthorized");
    expect((await get("/apis/netguard.sgroups.io/v1beta1/services?watch=true")).status).toBe(401);
  });
});
