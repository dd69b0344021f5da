/**
 * Sync batches are capped (default 10,000 items, configurable): a larger batch would hold the
 * write lock and pin memory for as long as it takes. The refusal is RESOURCE_EXHAUSTED (the RPC
 * counterpart of Kubernetes' 413) with a message naming the limit, and writes nothing.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { Code } from "@connectrpc/connect";
import { startBackend, type Backend } from "../../src/backend/backend.ts";
import { DEFAULT_MAX_SYNC_ITEMS } from "../../src/backend/rpc/sync-batch-limit.ts";
import { createMemoryPersistence } from "../../src/backend/store/memory-persistence.ts";
import { SyncOp } from "../../src/gen/netguard/v1/service_pb.ts";
import { API_VERSION, type KubeObject } from "../../src/kinds/model.ts";
import { clientFor, startTestBackend } from "../helpers/backend-harness.ts";
import { expectCode, kind, syncReq } from "./rpc-kit.ts";

const AddressGroup = kind("AddressGroup");
const groups = (n: number): KubeObject[] =>
  Array.from({ length: n }, (_, i) => ({ apiVersion: API_VERSION, kind: "AddressGroup", metadata: { name: `ag-${i}`, namespace: "bulk" }, spec: { defaultAction: "ACCEPT" } }));

const running: Backend[] = [];
afterEach(async () => {
  while (running.length) await running.pop()!.close();
});

describe("Sync batch cap", () => {
  test("the default cap is 10,000 items: one more is RESOURCE_EXHAUSTED naming the limit, and nothing is written", async () => {
    const b = await startTestBackend();
    running.push(b);
    const rv0 = b.engine.currentRv;
    expect(DEFAULT_MAX_SYNC_ITEMS).toBe(10_000);
    const err = await expectCode(clientFor(b.url).sync(syncReq(SyncOp.Upsert, AddressGroup, groups(10_001))), Code.ResourceExhausted);
    expect(err.rawMessage).toContain("10001 AddressGroup items exceeds the limit of 10000 items per request");
    expect(b.engine.currentRv).toBe(rv0);
    expect(b.engine.list(AddressGroup, {}).items).toHaveLength(0);
  }, 30_000);

  test("a configured cap applies to every Sync operation; a batch at the cap is accepted", async () => {
    const b = await startBackend({
      host: "127.0.0.1",
      port: 0,
      persistence: createMemoryPersistence(),
      retention: { maxEvents: 0, maxAgeMs: 0 },
      ringCapacity: 64,
      bookmarkIntervalMs: 60_000,
      trimIntervalMs: 0,
      shutdownGraceMs: 500,
      maxSyncItems: 3,
    });
    running.push(b);
    const client = clientFor(b.url);
    for (const op of [SyncOp.Upsert, SyncOp.Delete, SyncOp.FullSync]) {
      const err = await expectCode(client.sync(syncReq(op, AddressGroup, groups(4))), Code.ResourceExhausted);
      expect(err.rawMessage).toContain("limit of 3 items per request");
    }
    expect(b.engine.currentRv).toBe(0);
    await client.sync(syncReq(SyncOp.Upsert, AddressGroup, groups(3)));
    expect(b.engine.list(AddressGroup, {}).items).toHaveLength(3);
  });
});
