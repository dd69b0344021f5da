import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Backend } from "../../src/backend/backend.ts";
import { createBackendClient, type BackendClient } from "../../src/apiserver/backend-client.ts";
import { startApiServer, type ApiServer } from "../../src/apiserver/api-server.ts";
import { createWatchHub } from "../../src/apiserver/watch/watch-hub.ts";
import { createApiServerMetrics } from "../../src/apiserver/apiserver-metrics.ts";
import { loadBackendClientCredentials, type BackendClientCredentials } from "../../src/runtime/backend-credential-files.ts";
import type { ApiBackendAccessConfig } from "../../src/config/config.ts";
import { sample } from "../helpers/fixtures.ts";
import { createObj } from "../helpers/rpc-helpers.ts";
import { createPki, startLockedBackend, READ_WRITE_TOKEN, secureClient, type Pki } from "./secure-backend.ts";

const SERVICES = "/apis/netguard.sgroups.io/v1beta1/namespaces/shop/services";

let pki: Pki;
let backend: Backend;
const stops: (() => Promise<void> | void)[] = [];
beforeAll(async () => {
  pki = createPki();
  backend = await startLockedBackend(pki);
});
afterAll(async () => {
  for (const s of stops.reverse()) await s();
  await backend?.close();
});

/** An API server whose backend client uses the given files (as main.ts wires api.backend_tls.* and api.backend_token_file). */
async function apiServerWith(access: ApiBackendAccessConfig): Promise<{ api: ApiServer; client: BackendClient; creds: BackendClientCredentials }> {
  const creds = loadBackendClientCredentials(access, { intervalMs: 100, log: () => undefined });
  const metrics = createApiServerMetrics();
  // host:port without a scheme: the TLS material makes it https.
  const client = createBackendClient(`127.0.0.1:${backend.server.port}`, metrics.observeBackendCall, undefined, { tls: creds.tls, token: creds.token, timeoutMs: 3000 });
  const watch = createWatchHub({
    backend: client,
    mode: "streaming",
    streamingEnabled: true,
    pollingIntervalMs: 200,
    streamReconnectDelayMs: 50,
    cacheCapacity: 4096,
    onDeliveryLatency: metrics.onDeliveryLatency,
  });
  metrics.attach(watch);
  const api = await startApiServer("127.0.0.1", 0, { backend: client, watch, metrics });
  stops.push(async () => {
    await api.close();
    client.close();
    creds.stop();
  });
  return { api, client, creds };
}

describe("the API server over a TLS backend that demands credentials", () => {
  test("with the CA and a token file it serves lists and watches", async () => {
    const tokenFile = join(pki.dir, "api-token");
    writeFileSync(tokenFile, `# netguard-apiserver\n${READ_WRITE_TOKEN}\n`);
    const { api } = await apiServerWith({ caFile: pki.serverCa.cert, tokenFile });
    const writer = secureClient(backend.url, { ca: pki.serverCa.cert, token: READ_WRITE_TOKEN });
    await createObj(writer, sample("Service", 1).object);

    const list = await fetch(`${api.url}${SERVICES}`);
    expect(list.status).toBe(200);
    expect(((await list.json()) as { items: { metadata: { name: string } }[] }).items.map((i) => i.metadata.name)).toContain("svc-1");

    const ac = new AbortController();
    const res = await fetch(`${api.url}${SERVICES}?watch=1&resourceVersion=0`, { signal: ac.signal });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    let text = "";
    const created = createObj(writer, sample("Service", 2).object);
    const deadline = Date.now() + 5000;
    while (!text.includes('"svc-2"') && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    ac.abort();
    await created;
    expect(text).toContain('"type":"ADDED"');
    expect(text).toContain('"svc-2"');
  });

  test("with a client certificate in netguard:read-write (no token) it writes through the backend", async () => {
    const c = pki.clientCa.client("netguard-apiserver", ["netguard:read-write"]);
    const { api } = await apiServerWith({ caFile: pki.serverCa.cert, certFile: c.cert, keyFile: c.key });
    const body = { apiVersion: "netguard.sgroups.io/v1beta1", kind: "AddressGroup", metadata: { name: "ag-api", namespace: "shop" }, spec: { defaultAction: "ACCEPT" } };
    const res = await fetch(`${api.url}/apis/netguard.sgroups.io/v1beta1/namespaces/shop/addressgroups`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(201);
  });

  test("a client certificate rotated on disk is used by the next backend calls, without a restart", async () => {
    // starts with a certificate of the read-only group: writes are refused by the backend
    const readOnly = pki.clientCa.client("rotating-apiserver", ["netguard:read-only"]);
    const certFile = join(pki.dir, "rotating.crt");
    const keyFile = join(pki.dir, "rotating.key");
    writeFileSync(certFile, readFileSync(readOnly.cert));
    writeFileSync(keyFile, readFileSync(readOnly.key));
    const { api } = await apiServerWith({ caFile: pki.serverCa.cert, certFile, keyFile });
    const post = (name: string) =>
      fetch(`${api.url}/apis/netguard.sgroups.io/v1beta1/namespaces/shop/addressgroups`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ apiVersion: "netguard.sgroups.io/v1beta1", kind: "AddressGroup", metadata: { name, namespace: "shop" }, spec: { defaultAction: "ACCEPT" } }),
      });
    const refused = await post("ag-rotate-1");
    expect(refused.status).not.toBe(201);
    expect(await refused.text()).toContain("read-write");
    // cert-manager renews it into the read-write group: the next call presents the new certificate
    const readWrite = pki.clientCa.client("rotating-apiserver-2", ["netguard:read-write"]);
    writeFileSync(keyFile, readFileSync(readWrite.key));
    writeFileSync(certFile, readFileSync(readWrite.cert));
    const deadline = Date.now() + 5000;
    let status = 0;
    while (Date.now() < deadline && status !== 201) {
      await Bun.sleep(150);
      status = (await post("ag-rotate-2")).status;
    }
    expect(status).toBe(201);
  });

  test("without credentials the backend refuses it and the list fails instead of answering empty", async () => {
    const { api } = await apiServerWith({ caFile: pki.serverCa.cert });
    const list = await fetch(`${api.url}${SERVICES}`);
    expect(list.status).toBe(500);
    expect(await list.text()).toContain("needs credentials");
  });
});
