/**
 * A full store is the operator's problem, said plainly: the backend answers resource_exhausted with
 * SQLite's own words ("database or disk is full"), writes nothing of the failed write, and keeps
 * serving; the API server answers 500 InternalError with the same message, as kube-apiserver does
 * for a full etcd. The store is really full: SQLite's `max_page_count` caps the file, so the commit
 * fails with SQLITE_FULL exactly as on a full disk.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Code, ConnectError } from "@connectrpc/connect";
import { createBackendClient, type BackendClient } from "../../src/apiserver/backend-client.ts";
import { startApiServer, type ApiServer } from "../../src/apiserver/api-server.ts";
import { createWatchHub } from "../../src/apiserver/watch/watch-hub.ts";
import type { Backend } from "../../src/backend/backend.ts";
import { createSqlitePersistence } from "../../src/backend/store/sqlite-persistence.ts";
import { KINDS } from "../../src/kinds/kind-table.ts";
import type { KubeObject } from "../../src/kinds/model.ts";
import { openSqlite } from "../../src/runtime/sqlite-driver.ts";
import { startTestBackend } from "../helpers/backend-harness.ts";

const AG = KINDS.find((k) => k.kind === "AddressGroup")!;
let dir: string;
let backend: Backend;
let client: BackendClient;
let api: ApiServer;

function ag(name: string, bulk = 0): KubeObject {
  return {
    apiVersion: "netguard.sgroups.io/v1beta1",
    kind: "AddressGroup",
    metadata: { name, namespace: "shop", annotations: bulk ? { bulk: "x".repeat(bulk) } : undefined },
    spec: { defaultAction: "ACCEPT" },
  } as unknown as KubeObject;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "netguard-full-"));
  const driver = await openSqlite(join(dir, "netguard.db"));
  const persistence = createSqlitePersistence(driver);
  // Caps the file at its current size plus a little: the first large writes fill it.
  const pages = Number(Object.values(driver.prepare("PRAGMA page_count").get()!)[0]);
  driver.exec(`PRAGMA max_page_count = ${pages + 4}`);
  backend = await startTestBackend({ persistence });
  client = createBackendClient(backend.url, undefined, undefined, { timeoutMs: 5000 });
  const watch = createWatchHub({ backend: client, mode: "streaming", streamingEnabled: true, pollingIntervalMs: 200, streamReconnectDelayMs: 100, cacheCapacity: 64 });
  api = await startApiServer("127.0.0.1", 0, { backend: client, watch });
});

afterAll(async () => {
  await api?.close();
  client?.close();
  await backend?.close();
  rmSync(dir, { recursive: true, force: true });
});

test("a write into a full store is resource_exhausted with SQLite's message, writes nothing, and the backend keeps serving", async () => {
  let failure: unknown;
  const written: string[] = [];
  for (let i = 0; i < 50 && !failure; i++) {
    try {
      await client.create(AG, ag(`fill-${i}`, 8000));
      written.push(`fill-${i}`);
    } catch (e) {
      failure = e;
    }
  }
  expect(failure).toBeInstanceOf(ConnectError);
  expect((failure as ConnectError).code).toBe(Code.ResourceExhausted);
  expect((failure as ConnectError).rawMessage).toContain("database or disk is full");
  const names = (await client.list(AG, { namespace: "shop" })).items.map((o) => o.metadata.name);
  expect(names.sort()).toEqual(written.sort());
  const again = await client.create(AG, ag("still-full", 8000)).catch((e: unknown) => e);
  expect((again as ConnectError).code).toBe(Code.ResourceExhausted);
  expect((await client.list(AG, { namespace: "shop" })).items.length).toBe(written.length);
});

test("the API server answers a write into the full store with 500 and the store's message", async () => {
  const res = await fetch(`${api.url}/apis/netguard.sgroups.io/v1beta1/namespaces/shop/addressgroups`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(ag("via-api", 8000)),
  });
  expect(res.status).toBe(500);
  const body = (await res.json()) as { kind: string; reason: string; message: string };
  expect(body.kind).toBe("Status");
  expect(body.reason).toBe("InternalError");
  expect(body.message).toContain("database or disk is full");
});
