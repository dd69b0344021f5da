/**
 * API server limits (issue 9): request body (413 RequestEntityTooLarge, store unchanged), URL
 * (414), list page clamp, watch caps (429 TooManyRequests + Retry-After) and the idle timeout that
 * closes silent sockets while a quiet watch stays open — over real sockets against a real backend.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import * as net from "node:net";
import { startApiServer, type ApiServer } from "../../src/apiserver/api-server.ts";
import { createBackendClient, type BackendClient } from "../../src/apiserver/backend-client.ts";
import { createWatchHub } from "../../src/apiserver/watch/watch-hub.ts";
import type { Backend } from "../../src/backend/backend.ts";
import { startTestBackend } from "../helpers/backend-harness.ts";

const BASE = "/apis/netguard.sgroups.io/v1beta1/namespaces/shop/addressgroups";
const WAIT = (ms: number) => new Promise((r) => setTimeout(r, ms));

let backend: Backend;
let client: BackendClient;
let api: ApiServer;

beforeAll(async () => {
  backend = await startTestBackend();
  client = createBackendClient(backend.url);
  const watch = createWatchHub({ backend: client, mode: "streaming", streamingEnabled: true, pollingIntervalMs: 200, streamReconnectDelayMs: 50, cacheCapacity: 256 });
  api = await startApiServer("127.0.0.1", 0, {
    backend: client,
    watch,
    limits: { maxRequestBodyBytes: 64 * 1024, maxUrlBytes: 4096, maxListLimit: 2, maxWatches: 3, maxWatchesPerClient: 2, idleTimeoutMs: 1000 },
  });
});
afterAll(async () => {
  await api.close();
  client.close();
  await backend.close();
});

const ag = (name: string, pad = "") => JSON.stringify({ apiVersion: "netguard.sgroups.io/v1beta1", kind: "AddressGroup", metadata: { name, namespace: "shop", annotations: pad ? { pad } : undefined }, spec: { defaultAction: "ACCEPT" } });

async function names(): Promise<string[]> {
  const res = await fetch(api.url + BASE);
  return ((await res.json()) as { items: { metadata: { name: string } }[] }).items.map((i) => i.metadata.name);
}

describe("request body limit", () => {
  test("a body over the limit with Content-Length is 413 RequestEntityTooLarge and nothing is stored", async () => {
    const res = await fetch(api.url + BASE, { method: "POST", headers: { "content-type": "application/json" }, body: ag("too-big", "x".repeat(100 * 1024)) });
    expect(res.status).toBe(413);
    const st = (await res.json()) as { kind: string; reason: string; message: string };
    expect(st).toMatchObject({ kind: "Status", reason: "RequestEntityTooLarge", message: "Request entity too large: limit is 65536" });
    expect(await names()).not.toContain("too-big");
  });

  test("a chunked body is cut at the limit while it streams: 413 before the client has sent it all", async () => {
    const total = 8 * 1024 * 1024;
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent === 0) c.enqueue(new TextEncoder().encode(ag("chunked").slice(0, -1) + ',"x":"'));
        if (sent >= total) return c.close();
        sent += 64 * 1024;
        c.enqueue(new Uint8Array(64 * 1024).fill(0x61));
      },
    });
    const res = await fetch(api.url + BASE, { method: "POST", headers: { "content-type": "application/json" }, body, duplex: "half" } as RequestInit);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { reason: string }).reason).toBe("RequestEntityTooLarge");
    expect(sent).toBeLessThan(total);
    expect(await names()).not.toContain("chunked");
  });

  test("a body within the limit is accepted", async () => {
    const res = await fetch(api.url + BASE, { method: "POST", headers: { "content-type": "application/json" }, body: ag("fits", "x".repeat(1024)) });
    expect(res.status).toBe(201);
  });
});

describe("URL and list limits", () => {
  test("a URL over the limit is 414 with a Status body", async () => {
    const res = await fetch(`${api.url}${BASE}?labelSelector=${"a".repeat(6000)}`);
    expect(res.status).toBe(414);
    expect(await res.json()).toMatchObject({ kind: "Status", code: 414 });
  });

  test("a list limit above the maximum is clamped and the rest comes with continue", async () => {
    for (const n of ["l1", "l2", "l3"]) await fetch(api.url + BASE, { method: "POST", body: ag(n) });
    const res = await fetch(`${api.url}${BASE}?limit=1000`);
    const list = (await res.json()) as { items: unknown[]; metadata: { continue?: string } };
    expect(list.items.length).toBe(2);
    expect(list.metadata.continue).toBeTruthy();
  });
});

describe("watch caps", () => {
  const watchUrl = () => `${api.url}${BASE}?watch=true`;

  test("watches beyond the per-client cap get 429 TooManyRequests with Retry-After; closing one frees a slot", async () => {
    const aborts = [new AbortController(), new AbortController()];
    const open = await Promise.all(aborts.map((a) => fetch(watchUrl(), { signal: a.signal })));
    for (const r of open) expect(r.status).toBe(200);
    const over = await fetch(watchUrl());
    expect(over.status).toBe(429);
    expect(over.headers.get("retry-after")).toBe("1");
    expect(await over.json()).toMatchObject({ kind: "Status", reason: "TooManyRequests", code: 429, details: { retryAfterSeconds: 1 } });
    aborts[0]!.abort();
    await WAIT(300);
    const again = new AbortController();
    const res = await fetch(watchUrl(), { signal: again.signal });
    expect(res.status).toBe(200);
    again.abort();
    aborts[1]!.abort();
    await WAIT(300);
  });

  test("a watch that ends by itself (timeoutSeconds) gives its slot back", async () => {
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${watchUrl()}&timeoutSeconds=1`);
      expect(res.status).toBe(200);
      await res.text(); // ends after ~1 s
    }
    const a = new AbortController();
    const b = new AbortController();
    expect((await fetch(watchUrl(), { signal: a.signal })).status).toBe(200);
    expect((await fetch(watchUrl(), { signal: b.signal })).status).toBe(200);
    a.abort();
    b.abort();
    await WAIT(300);
  }, 20_000);
});

describe("idle timeout", () => {
  test("a silent socket and slow headers are closed while a quiet watch stays open", async () => {
    const port = Number(new URL(api.url).port);
    const raw = (send: string) =>
      new Promise<{ closed: boolean; data: string }>((resolve) => {
        const s = net.connect(port, "127.0.0.1", () => send && s.write(send));
        let data = "";
        s.on("data", (d) => (data += d.toString()));
        s.on("error", () => undefined);
        const t = setTimeout(() => (s.destroy(), resolve({ closed: false, data })), 15_000);
        s.on("close", () => (clearTimeout(t), resolve({ closed: true, data })));
      });
    const w = new AbortController();
    const watch = await fetch(`${api.url}${BASE}?watch=true`, { signal: w.signal });
    expect(watch.status).toBe(200);
    let watchEnded = false;
    void watch.body!.pipeTo(new WritableStream()).then(
      () => (watchEnded = true),
      () => undefined,
    );
    const [silent, slow] = await Promise.all([raw(""), raw("GET /healthz HTTP/1.1\r\nHost: x\r\n")]);
    expect(silent.closed).toBe(true);
    expect(slow.closed).toBe(true);
    expect(watchEnded).toBe(false);
    w.abort();
  }, 30_000);
});
