/**
 * Reads through any replica see every committed write: a client that creates through replica A and
 * at once gets, lists or watches through replica B finds its object (the replica catches up with
 * the shared log before answering), instead of a stale answer until B's tail happens to run.
 */
import { afterAll, expect, test } from "bun:test";
import { Code, ConnectError } from "@connectrpc/connect";
import type { Backend } from "../../src/backend/backend.ts";
import { openPostgresPersistence } from "../../src/backend/store/postgres-persistence.ts";
import { kindByName } from "../../src/kinds/kind-table.ts";
import { clientFor, startTestBackend } from "../helpers/backend-harness.ts";
import { sample } from "../helpers/fixtures.ts";
import { createObj, listKind, watchKindRpc } from "../helpers/rpc-helpers.ts";
import { closeTestDatabases, createTestDatabase } from "../store/postgres-test-db.ts";

const ag = kindByName("AddressGroup")!;
afterAll(closeTestDatabases);

test("a write through one replica is seen at once by get, list and watch through another", async () => {
  const db = await createTestDatabase();
  const backends: Backend[] = [];
  try {
    for (let i = 0; i < 2; i++) backends.push(await startTestBackend({ persistence: await openPostgresPersistence(db.url, { log: () => {} }) }));
    const [a, b] = backends.map((x) => clientFor(x.url));
    for (let i = 0; i < 20; i++) {
      const o = sample("AddressGroup", 100 + i).object;
      const made = await createObj(a!, o);
      // get on the other replica, immediately
      const got = await b!.getAddressGroup({ identifier: { namespace: o.metadata.namespace, name: o.metadata.name } }).catch((e: unknown) => e);
      if (got instanceof ConnectError) throw new Error(`replica B did not have ${o.metadata.name} yet: ${Code[got.code]} ${got.rawMessage}`);
      // list on the other replica, immediately
      const listed = await listKind(b!, ag);
      expect(Number(listed.resourceVersion)).toBeGreaterThanOrEqual(Number(made.metadata.resourceVersion));
      expect(listed.items.map((x) => x.metadata.name)).toContain(o.metadata.name);
    }
    // a watch resuming on B from a position only A has reported is accepted, not "too large"
    const last = await createObj(a!, sample("AddressGroup", 999).object);
    const ac = new AbortController();
    const it = watchKindRpc(b!, ag, { resourceVersion: String(last.metadata.resourceVersion) }, ac.signal)[Symbol.asyncIterator]();
    const next = await Promise.race([it.next().then(() => "event"), Bun.sleep(300).then(() => "open")]).catch((e: unknown) => String(e));
    ac.abort();
    expect(next).toBe("open");
  } finally {
    for (const x of backends) await x.close().catch(() => undefined);
    await db.drop();
  }
}, 30_000);
