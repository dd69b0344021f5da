/**
 * A large Sync batch keeps the process responsive: the engine hands the event loop back every
 * `yieldEvery` items and between its phases, while the batch stays invisible until its single
 * commit. The engine test is deterministic (it counts event-loop turns); the backend test checks
 * the consequence operators see — /healthz keeps answering while a 10,000-item Sync runs.
 */
import { afterEach, describe, expect, test } from "bun:test";
import type { Backend } from "../../src/backend/backend.ts";
import { createEngine, DEFAULT_YIELD_EVERY, type Engine } from "../../src/backend/engine/mod.ts";
import { createMemoryPersistence } from "../../src/backend/store/memory-persistence.ts";
import { SyncOp } from "../../src/gen/netguard/v1/service_pb.ts";
import { kindByName } from "../../src/kinds/kind-table.ts";
import { API_VERSION, type KubeObject } from "../../src/kinds/model.ts";
import { clientFor, startTestBackend } from "../helpers/backend-harness.ts";
import { syncReq } from "../rpc/rpc-kit.ts";

const AddressGroup = kindByName("AddressGroup")!;
const groups = (n: number): KubeObject[] =>
  Array.from({ length: n }, (_, i) => ({ apiVersion: API_VERSION, kind: "AddressGroup", metadata: { name: `ag-${i}`, namespace: "bulk" }, spec: { defaultAction: "ACCEPT" } }));
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

async function engineWith(yieldEvery?: number): Promise<Engine> {
  const engine = await createEngine({ persistence: createMemoryPersistence(), retention: { maxEvents: 0, maxAgeMs: 0 }, ringCapacity: 1024, yieldEvery });
  closers.push(() => engine.close());
  return engine;
}

describe("a large Sync batch yields to the event loop", () => {
  test("other callbacks run between chunks, and see nothing of the batch before its commit", async () => {
    const engine = await engineWith(100);
    const rv0 = engine.currentRv;
    let settled = false;
    const done = engine.sync(AddressGroup, "upsert", groups(1000)).then(() => void (settled = true));
    let turnsWhilePending = 0;
    while (!settled) {
      await turn();
      if (settled) break;
      turnsWhilePending++;
      expect(engine.currentRv).toBe(rv0);
      expect(engine.get(AddressGroup, "bulk", "ag-0")).toBeUndefined();
      expect(engine.list(AddressGroup, {}).items).toHaveLength(0);
    }
    await done;
    // 1000 items in chunks of 100: nine yields inside the loop, two between phases
    expect(turnsWhilePending).toBeGreaterThanOrEqual(9);
    expect(engine.currentRv).toBe(rv0 + 2000); // each group and its port mapping
    expect(engine.list(AddressGroup, {}).items).toHaveLength(1000);
  });

  test("small writes do not yield: a create completes within the turn it started in", async () => {
    const engine = await engineWith();
    let settled = false;
    const done = engine.create(AddressGroup, groups(1)[0]!).then(() => void (settled = true));
    await turn();
    expect(settled).toBe(true);
    await done;
    expect(DEFAULT_YIELD_EVERY).toBeGreaterThan(1);
  });
});

describe("health checks during a large Sync", () => {
  test("/healthz keeps answering while the engine works through a 10,000-item Sync", async () => {
    const b: Backend = await startTestBackend();
    closers.push(() => b.close());
    // Observe the engine's own work on the batch (the RPC's transfer and decoding come before it).
    let started = false;
    let finished = false;
    const sync = b.engine.sync.bind(b.engine);
    b.engine.sync = (kind, op, objs) => {
      started = true;
      return sync(kind, op, objs).finally(() => void (finished = true));
    };
    const answered = clientFor(b.url).sync(syncReq(SyncOp.Upsert, AddressGroup, groups(10_000)));
    let probesDuringBatch = 0;
    let rpcDone = false;
    void answered.finally(() => void (rpcDone = true));
    while (!rpcDone) {
      const sentWhileRunning = started && !finished;
      const res = await fetch(`${b.url}/healthz`);
      expect(res.status).toBe(200);
      await res.text();
      if (sentWhileRunning && !finished) probesDuringBatch++;
    }
    await answered;
    expect(b.engine.list(AddressGroup, {}).items).toHaveLength(10_000);
    // Client and server share this process's event loop: an engine that never yields runs the
    // whole batch in one turn, so no probe can be sent and answered in between.
    expect(probesDuringBatch).toBeGreaterThanOrEqual(3);
  }, 60_000);
});
