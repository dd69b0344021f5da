import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Code, ConnectError } from "@connectrpc/connect";
import type { Backend } from "../../src/backend/backend.ts";
import { ResourceKind } from "../../src/gen/netguard/v1/service_pb.ts";
import { sample } from "../helpers/fixtures.ts";
import { createObj } from "../helpers/rpc-helpers.ts";
import { createPki, startLockedBackend, READ_ONLY_TOKEN, READ_WRITE_TOKEN, secureClient, type Pki } from "./secure-backend.ts";

let pki: Pki;
let backend: Backend;
beforeAll(async () => {
  pki = createPki();
  backend = await startLockedBackend(pki);
});
afterAll(async () => {
  await backend?.close();
});

async function codeOf(p: Promise<unknown>): Promise<{ code: Code; message: string } | "ok"> {
  try {
    await p;
    return "ok";
  } catch (e) {
    const c = ConnectError.from(e);
    return { code: c.code, message: c.rawMessage };
  }
}

/** Opens a Watch, reads the first event (the initial BOOKMARK), closes it. */
async function firstWatchEvent(client: ReturnType<typeof secureClient>) {
  const ac = new AbortController();
  try {
    for await (const e of client.watchServices({ sendInitialEvents: true, allowBookmarks: true }, { signal: ac.signal })) return e;
  } finally {
    ac.abort();
  }
}

describe("backend access: who may call which RPC", () => {
  test("a gRPC client with a client certificate in the netguard:read-write group writes", async () => {
    const client = secureClient(backend.url, { ca: pki.serverCa.cert, cert: pki.clientCa.client("operator", ["netguard:read-write"]) });
    const created = await createObj(client, sample("Service", 1).object);
    expect(created.metadata.name).toBe("svc-1");
  });

  test("a client certificate in netguard:read-only may list but not create (permission_denied naming method and role)", async () => {
    const client = secureClient(backend.url, { ca: pki.serverCa.cert, cert: pki.clientCa.client("viewer", ["netguard:read-only"]) });
    expect(await codeOf(client.listServices({}))).toBe("ok");
    expect(await codeOf(createObj(client, sample("Service", 2).object))).toEqual({
      code: Code.PermissionDenied,
      message: 'Create needs the read-write role; user "viewer" has the read-only role',
    });
  });

  test("a client certificate without a netguard group is authenticated but may call nothing", async () => {
    const client = secureClient(backend.url, { ca: pki.serverCa.cert, cert: pki.clientCa.client("nobody", ["other"]) });
    const r = await codeOf(client.listServices({}));
    expect(r).toMatchObject({ code: Code.PermissionDenied });
    expect((r as { message: string }).message).toContain("O=netguard:read-only");
  });

  test("a read-only token may Watch, List, Get and SyncStatus, and Create is permission_denied", async () => {
    const writer = secureClient(backend.url, { ca: pki.serverCa.cert, token: READ_WRITE_TOKEN });
    await createObj(writer, sample("Service", 3).object);
    const reader = secureClient(backend.url, { ca: pki.serverCa.cert, token: READ_ONLY_TOKEN });
    expect((await reader.listServices({})).items.length).toBeGreaterThan(0);
    expect((await reader.getService({ identifier: { namespace: "shop", name: "svc-3" } })).service?.selfRef?.name).toBe("svc-3");
    expect(await codeOf(reader.syncStatus({}))).toBe("ok");
    expect((await firstWatchEvent(reader))?.resource?.typeUrl).toBe("type.googleapis.com/netguard.v1.Service");
    expect(await codeOf(createObj(reader, sample("Service", 4).object))).toEqual({
      code: Code.PermissionDenied,
      message: 'Create needs the read-write role; token user "reader" has the read-only role',
    });
    expect(await codeOf(reader.delete({ kind: ResourceKind.SERVICE, identifier: { namespace: "shop", name: "svc-3" } }))).toMatchObject({
      code: Code.PermissionDenied,
    });
  });

  test("no credentials: every RPC, Watch included, is unauthenticated", async () => {
    const anon = secureClient(backend.url, { ca: pki.serverCa.cert });
    const r = await codeOf(anon.listServices({}));
    expect(r).toEqual({ code: Code.Unauthenticated, message: "ListServices needs credentials: a client certificate or an Authorization: Bearer token" });
    expect(await codeOf(firstWatchEvent(anon))).toMatchObject({ code: Code.Unauthenticated });
    expect(await codeOf(createObj(anon, sample("Service", 5).object))).toMatchObject({ code: Code.Unauthenticated });
  });

  test("over HTTP/1.1 (Connect protocol) the same checks apply", async () => {
    const anon = secureClient(backend.url, { ca: pki.serverCa.cert, protocol: "connect-h1" });
    expect(await codeOf(anon.listServices({}))).toMatchObject({ code: Code.Unauthenticated });
    const reader = secureClient(backend.url, { ca: pki.serverCa.cert, token: READ_ONLY_TOKEN, protocol: "connect-h1" });
    expect(await codeOf(reader.listServices({}))).toBe("ok");
    expect(await codeOf(createObj(reader, sample("Service", 6).object))).toMatchObject({ code: Code.PermissionDenied });
  });

  test("an unknown or malformed bearer token is unauthenticated", async () => {
    const bad = secureClient(backend.url, { ca: pki.serverCa.cert, token: "not-a-known-token-at-all" });
    expect(await codeOf(bad.listServices({}))).toEqual({ code: Code.Unauthenticated, message: "ListServices: the bearer token is not valid" });
  });

  test("a client certificate from another CA is unauthenticated, even in the read-write group", async () => {
    const forged = secureClient(backend.url, { ca: pki.serverCa.cert, cert: pki.foreignCa.client("mallory", ["netguard:read-write"]) });
    const r = await codeOf(createObj(forged, sample("Service", 7).object));
    expect(r).toMatchObject({ code: Code.Unauthenticated });
    expect((r as { message: string }).message).toContain("not verified against backend.tls.client_ca_file");
  });

  test("health endpoints stay open without credentials", async () => {
    const res = await fetch(`${backend.url}/healthz`, { tls: { ca: (await import("../helpers/test-certs.ts")).pem(pki.serverCa.cert) } } as RequestInit);
    expect(res.status).toBe(200);
  });
});
