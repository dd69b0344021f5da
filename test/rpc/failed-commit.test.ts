/**
 * A write whose commit fails is not acknowledged and publishes nothing: the client gets an error,
 * the counter does not move, no watcher hears of it and a later write takes the very next version.
 * Checked on the single-writer path and on the shared-store (multi-replica) path.
 */
import { describe, expect, test } from "bun:test";
import { Code, ConnectError } from "@connectrpc/connect";
import { createMemoryPersistence } from "../../src/backend/store/memory-persistence.ts";
import type { Persistence, SharedLog } from "../../src/backend/store/persistence.ts";
import { sample } from "../helpers/fixtures.ts";
import { createObj } from "../helpers/rpc-helpers.ts";
import { backendPerTest, expectNothingWritten, getObj, kind } from "./rpc-kit.ts";

const start = backendPerTest();

/** A memory store whose commits fail while `failing` is set; `shared` adds a one-replica SharedLog. */
function failingStore(shared: boolean): { persistence: Persistence; setFailing(on: boolean): void } {
  const inner = createMemoryPersistence();
  let failing = false;
  const fail = () => Promise.reject(new Error("disk I/O error (injected)"));
  const persistence: Persistence = Object.create(inner);
  persistence.commit = (batch) => (failing ? fail() : inner.commit(batch));
  if (shared) {
    let rv = 0;
    const log: SharedLog = {
      async transact(localRv, build) {
        const batch = await build({ events: [], rv: Math.max(rv, localRv), floorRv: 0 });
        if (!batch) return;
        if (failing) return fail();
        await inner.commit(batch);
        rv = batch.rv;
      },
      tail: async () => ({ events: [], floorRv: 0 }),
      onCommit: async () => async () => undefined,
    };
    persistence.shared = log;
  }
  return { persistence, setFailing: (on) => (failing = on) };
}

describe.each([["single-writer"], ["shared-store"]])("a failed commit (%s)", (path) => {
  test("fails the write and publishes nothing", async () => {
    const store = failingStore(path === "shared-store");
    const { b, client } = await start({ persistence: store.persistence });
    const s = sample("Service", 1);
    for (const o of s.needs) await createObj(client, o);
    await createObj(client, sample("Service", 2).object); // rv > 0: watchers resume from it

    await expectNothingWritten(b, client, ["Service"], async () => {
      store.setFailing(true);
      try {
        let err: unknown;
        await createObj(client, s.object).catch((e) => (err = e));
        expect(err).toBeDefined();
        expect(ConnectError.from(err).code).not.toBe(Code.Unknown);
      } finally {
        store.setFailing(false);
      }
    });
    // the object was never stored, so it is not served either
    let missing: unknown;
    await getObj(client, kind("Service"), s.object.metadata.namespace, s.object.metadata.name).catch((e) => (missing = e));
    expect(ConnectError.from(missing).code).toBe(Code.NotFound);
  });
});
