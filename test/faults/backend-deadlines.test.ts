/**
 * A backend that stops answering (SIGSTOP: its sockets stay open, nothing is read) or is not there
 * at all must not hang the API server: lists and writes end at the configured deadline with
 * kube-apiserver's 504 Timeout, a write that timed out says its outcome is unknown, /readyz turns
 * 503 while /livez stays 200, and after SIGCONT everything recovers — including the watch, whose
 * dead stream the HTTP/2 keepalive ends so that it reconnects.
 *
 * The backend is a real child process (`src/main.ts backend`); the API server runs in this process
 * with short deadlines (1 s per call, keepalive 1 s, readiness 500 ms).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { freePort, launch, type Child } from "../../bench/system/launcher.ts";
import { createBackendClient, type BackendClient } from "../../src/apiserver/backend-client.ts";
import { startApiServer, type ApiServer } from "../../src/apiserver/api-server.ts";
import { createBackendReadiness } from "../../src/apiserver/backend-readiness.ts";
import { createWatchHub } from "../../src/apiserver/watch/watch-hub.ts";

const TIMEOUT_MS = 1000;
const NS = "/apis/netguard.sgroups.io/v1beta1/namespaces/shop";

let backend: Child;
let backendPort: number;
let client: BackendClient;
let api: ApiServer;
let stopped = false;

function signalBackend(sig: NodeJS.Signals): void {
  process.kill(-backend.pid, sig);
  stopped = sig === "SIGSTOP";
}

async function startBackendChild(port: number): Promise<Child> {
  return launch({
    name: "backend",
    args: ["src/main.ts", "backend"],
    env: { NETGUARD_BACKEND_ADDR: `127.0.0.1:${port}`, NETGUARD_STORAGE: "memory:", NETGUARD_SHUTDOWN_GRACE: "100ms" },
    ready: /backend listening on/,
    readyTimeoutMs: 30_000,
  });
}

function ag(name: string): string {
  return JSON.stringify({
    apiVersion: "netguard.sgroups.io/v1beta1",
    kind: "AddressGroup",
    metadata: { name, namespace: "shop" },
    spec: { defaultAction: "ACCEPT" },
  });
}

async function req(path: string, init: RequestInit = {}): Promise<{ status: number; body: any; text: string; ms: number }> {
  const start = Date.now();
  const res = await fetch(api.url + path, { ...init, headers: { "content-type": "application/json", ...(init.headers ?? {}) } });
  const text = await res.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, body, text, ms: Date.now() - start };
}

async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  backendPort = await freePort();
  backend = await startBackendChild(backendPort);
  client = createBackendClient(`127.0.0.1:${backendPort}`, undefined, undefined, { timeoutMs: TIMEOUT_MS, keepaliveMs: 60_000 });
  const watch = createWatchHub({
    backend: client,
    mode: "streaming",
    streamingEnabled: true,
    pollingIntervalMs: 200,
    streamReconnectDelayMs: 100,
    cacheCapacity: 1024,
  });
  const readiness = createBackendReadiness(client, { timeoutMs: 500, cacheMs: 200 });
  api = await startApiServer("127.0.0.1", 0, { backend: client, watch, readiness });
}, 60_000);

afterAll(async () => {
  if (stopped) signalBackend("SIGCONT");
  await api?.close();
  client?.close();
  await backend?.stop(1000);
});

describe("a stopped backend", () => {
  test("is reported by /readyz while /livez stays 200; reads and writes end with 504 Timeout at the deadline; after SIGCONT it recovers and only writes whose outcome was unknown may have landed", async () => {
    expect((await req("/readyz")).status).toBe(200);
    expect((await req(`${NS}/addressgroups`, { method: "POST", body: ag("before-stop") })).status).toBe(201);

    signalBackend("SIGSTOP");
    const ready = await eventually(() => req("/readyz?verbose"), (r) => r.status === 503);
    expect(ready.status).toBe(503);
    expect(ready.text).toContain("[-]backend failed: ");
    expect(ready.text).toContain("readyz check failed");
    expect((await req("/livez")).status).toBe(200);

    const list = await req(`${NS}/addressgroups`);
    expect(list.status).toBe(504);
    expect(list.body).toMatchObject({ kind: "Status", reason: "Timeout", code: 504 });
    expect(list.body.message).toContain("the backend did not answer within 1s");
    // answered because of the deadline, not the test's timeout: generous for a loaded 2-core machine
    expect(list.ms).toBeLessThan(TIMEOUT_MS * 15);

    const get = await req(`${NS}/addressgroups/before-stop`);
    expect(get.status).toBe(504);

    const write = await req(`${NS}/addressgroups`, { method: "POST", body: ag("timed-out") });
    expect(write.status).toBe(504);
    expect(write.body).toMatchObject({ kind: "Status", reason: "Timeout", code: 504 });
    expect(write.body.message).toContain("request did not complete within requested timeout");
    expect(write.body.message).toContain("may or may not have been applied");

    // A client that gives up before the deadline: its request is cancelled, not left to run.
    const gone = new AbortController();
    const abandoned = fetch(api.url + `${NS}/addressgroups`, { method: "POST", body: ag("abandoned"), headers: { "content-type": "application/json" }, signal: gone.signal });
    await new Promise((r) => setTimeout(r, 200));
    gone.abort();
    await abandoned.catch(() => undefined);

    // Then it recovers (one scenario: the recovery needs the stop above, so it is not a test of its own).
    // The two writes sent while the backend was stopped reached its socket before they were
    // cancelled. The backend refuses a write whose cancellation it has seen (one event-loop turn
    // after dispatch); on Bun it usually has, but not always, so their outcome is unknown — which is
    // exactly what the 504 said. What must hold: the store has every acknowledged write, nothing
    // else than those two, and serves again.
    signalBackend("SIGCONT");
    const readyAgain = await eventually(() => req("/readyz"), (r) => r.status === 200);
    expect(readyAgain.status).toBe(200);
    const listAgain = await eventually(() => req(`${NS}/addressgroups`), (r) => r.status === 200);
    expect(listAgain.status).toBe(200);
    const names: string[] = listAgain.body.items.map((o: any) => o.metadata.name);
    expect(names).toContain("before-stop");
    expect(names.filter((n) => !["before-stop", "timed-out", "abandoned"].includes(n))).toEqual([]);
    expect((await req(`${NS}/addressgroups`, { method: "POST", body: ag("after-resume") })).status).toBe(201);
  }, 60_000);
});

describe("an unreachable backend (nothing listens on its port)", () => {
  test("answers 503 ServiceUnavailable for lists and writes, and /readyz says why", async () => {
    const port = await freePort();
    const refused = createBackendClient(`127.0.0.1:${port}`, undefined, undefined, { timeoutMs: TIMEOUT_MS });
    const watch = createWatchHub({ backend: refused, mode: "streaming", streamingEnabled: true, pollingIntervalMs: 200, streamReconnectDelayMs: 100, cacheCapacity: 64 });
    const server = await startApiServer("127.0.0.1", 0, { backend: refused, watch, readiness: createBackendReadiness(refused, { timeoutMs: 500, cacheMs: 0 }) });
    try {
      const list = await fetch(`${server.url}${NS}/addressgroups`);
      expect(list.status).toBe(503);
      expect(await list.json()).toMatchObject({ kind: "Status", reason: "ServiceUnavailable", code: 503 });
      const write = await fetch(`${server.url}${NS}/addressgroups`, { method: "POST", body: ag("x"), headers: { "content-type": "application/json" } });
      expect(write.status).toBe(503);
      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.text()).toContain("[-]backend failed: ");
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      await server.close();
      refused.close();
    }
  }, 20_000);
});

describe("the timeout query parameter", () => {
  test("shortens a request's deadline, and a malformed one is 400", async () => {
    signalBackend("SIGSTOP");
    try {
      const short = await req(`${NS}/addressgroups?timeout=300ms`);
      expect(short.status).toBe(504);
      expect(short.body.message).toContain("did not answer within the request's timeout");
      expect((await req(`${NS}/addressgroups?timeout=soon`)).status).toBe(400);
    } finally {
      signalBackend("SIGCONT");
    }
  }, 20_000);
});
