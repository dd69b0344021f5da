import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Backend } from "../../src/backend/backend.ts";
import { startMetricsListener } from "../../src/runtime/metrics-listener.ts";
import { pem } from "../helpers/test-certs.ts";
import { createPki, startLockedBackend, READ_ONLY_TOKEN, type Pki } from "./secure-backend.ts";

let pki: Pki;
let backend: Backend;
beforeAll(async () => {
  pki = createPki();
  backend = await startLockedBackend(pki, { metrics: { host: "127.0.0.1", port: 0 } });
});
afterAll(async () => {
  await backend?.close();
});

const get = (url: string, headers: Record<string, string> = {}) => fetch(url, { headers, tls: { ca: pem(pki.serverCa.cert) } } as RequestInit);

describe("/metrics when the backend demands credentials", () => {
  test("on the main port: 401 without credentials, served with a read-only token", async () => {
    const anon = await get(`${backend.url}/metrics`);
    expect(anon.status).toBe(401);
    expect(await anon.text()).toContain("/metrics needs credentials");
    const ok = await get(`${backend.url}/metrics`, { authorization: `Bearer ${READ_ONLY_TOKEN}` });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("# TYPE");
  });

  test("on backend.metrics_addr: served without credentials, and nothing else is", async () => {
    const url = backend.metricsListener!.url;
    expect(url).toStartWith("http://127.0.0.1:");
    const ok = await fetch(url);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("# TYPE");
    expect((await fetch(url.replace("/metrics", "/netguard.v1.NetguardService/ListServices"), { method: "POST" })).status).toBe(404);
  });

  test("the API server's separate listener serves only /metrics", async () => {
    const l = await startMetricsListener("127.0.0.1", 0, () => "# TYPE apiserver_x counter\napiserver_x 1\n");
    try {
      expect(await (await fetch(l.url)).text()).toContain("apiserver_x 1");
      expect((await fetch(l.url.replace("/metrics", "/apis"))).status).toBe(404);
    } finally {
      await l.close();
    }
  });
});
