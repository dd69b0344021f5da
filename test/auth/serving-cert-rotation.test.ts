/**
 * A serving certificate rotated on disk is served to new connections while a watch opened before
 * the rotation keeps streaming on its old connection.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { copyFileSync } from "node:fs";
import { ADMIN_TOKEN, servedFingerprint, startTlsApiStack, type TlsApiStack } from "../helpers/tls-api-stack.ts";
import { pem } from "../helpers/test-certs.ts";

let s: TlsApiStack;
beforeAll(async () => {
  s = await startTlsApiStack({ reloadIntervalMs: 100 });
});
afterAll(async () => {
  await s?.close();
});

const PATH = "/apis/netguard.sgroups.io/v1beta1/namespaces/shop/services";

test("a rotated serving certificate reaches new connections and an open watch continues", async () => {
  const tls = { ca: pem(s.ca.cert) };
  const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
  const before = await servedFingerprint(s.api.port, pem(s.ca.cert));

  const watch = await fetch(`${s.api.url}${PATH}?watch=true`, { headers: auth, tls } as RequestInit);
  expect(watch.status).toBe(200);
  const reader = watch.body!.getReader();
  let seen = "";
  const waitFor = async (needle: string) => {
    const deadline = Date.now() + 5000;
    while (!seen.includes(needle)) {
      if (Date.now() > deadline) throw new Error(`watch did not show ${needle}: ${seen}`);
      const { value, done } = await reader.read();
      if (done) throw new Error(`watch ended: ${seen}`);
      seen += new TextDecoder().decode(value);
    }
  };

  const next = s.ca.server("apiserver-rotated");
  copyFileSync(next.key, s.serving.key);
  copyFileSync(next.cert, s.serving.cert);
  const deadline = Date.now() + 5000;
  let after = before;
  while (after === before && Date.now() < deadline) {
    await Bun.sleep(50);
    after = await servedFingerprint(s.api.port, pem(s.ca.cert));
  }
  expect(after).not.toBe(before);
  expect(after).toBe(new (await import("node:crypto")).X509Certificate(pem(next.cert)).fingerprint256);

  const created = await fetch(`${s.api.url}${PATH}`, {
    method: "POST",
    headers: { ...auth, "content-type": "application/json" },
    body: JSON.stringify({ apiVersion: "netguard.sgroups.io/v1beta1", kind: "Service", metadata: { name: "after-rotation", namespace: "shop" }, spec: {} }),
    tls,
  } as RequestInit);
  expect(created.status).toBe(201);
  await waitFor('"name":"after-rotation"');
  expect(seen).toContain('"type":"ADDED"');
  await reader.cancel();
});
