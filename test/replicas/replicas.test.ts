/**
 * Several backend replicas on one PostgreSQL database: resourceVersions in commit order with no
 * hole a reader could skip, writes validated against what other replicas committed, and watchers
 * on every replica seeing the same events in the same order — also across a replica restart.
 */
import { afterAll, expect, test } from "bun:test";
import type { Engine } from "../../src/backend/engine/engine.ts";
import { EngineError } from "../../src/domain/engine-error.ts";
import { kindByName } from "../../src/kinds/kind-table.ts";
import { openPostgres } from "../../src/runtime/postgres-driver.ts";
import { sample } from "../helpers/fixtures.ts";
import { closeTestDatabases, createTestDatabase, type TestDatabase } from "../store/postgres-test-db.ts";
import { key, openReplica, record, until } from "./replica-kit.ts";

const ag = kindByName("AddressGroup")!;
afterAll(closeTestDatabases);

async function withReplicas(n: number, fn: (rs: Engine[], db: TestDatabase) => Promise<void>): Promise<void> {
  const db = await createTestDatabase();
  const rs: Engine[] = [];
  try {
    for (let i = 0; i < n; i++) rs.push(await openReplica(db.url));
    await fn(rs, db);
  } finally {
    await Promise.all(rs.map((r) => r.close().catch(() => undefined)));
    await db.drop();
  }
}

const agNamed = (name: string) => {
  const o = sample("AddressGroup", 0).object;
  o.metadata.name = name;
  return o;
};

test("concurrent writers on three replicas get gap-free resourceVersions a reader never sees out of order", async () => {
  await withReplicas(3, async (rs, db) => {
    const reader = await openPostgres(db.url);
    let maxSeen = 0;
    let reads = 0;
    let writing = true;
    const readLoop = (async () => {
      while (writing) {
        const rows = await reader.query("SELECT rv FROM events ORDER BY rv");
        const rvs = rows.map((r) => Number(r.rv));
        // Every rv up to the newest one seen is present exactly once: nothing can appear later below it.
        rvs.forEach((rv, i) => expect(rv).toBe(i + 1));
        expect(rvs.length).toBeGreaterThanOrEqual(maxSeen);
        maxSeen = rvs.length;
        reads++;
      }
    })();
    const PER = 40;
    await Promise.all(
      rs.flatMap((r, ri) =>
        [0, 1, 2, 3].map(async (w) => {
          for (let i = 0; i < PER / 4; i++) await r.create(ag, agNamed(`r${ri}-w${w}-${i}`));
        }),
      ),
    );
    writing = false;
    await readLoop;
    await reader.close();
    expect(reads).toBeGreaterThan(3);
    const total = 3 * PER;
    const last = Math.max(...rs.map((r) => r.currentRv));
    for (const r of rs) {
      await until(() => r.currentRv >= last, 5000, "replicas to catch up");
      expect(r.list(ag, {}).items.length).toBe(total);
    }
  });
}, 30_000);

test("a write is validated against what another replica just committed", async () => {
  await withReplicas(2, async ([a, b]) => {
    for (let i = 0; i < 15; i++) {
      const results = await Promise.allSettled([a!.create(ag, agNamed(`same-${i}`)), b!.create(ag, agNamed(`same-${i}`))]);
      const ok = results.filter((r) => r.status === "fulfilled");
      const refused = results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason);
      expect(ok.length).toBe(1);
      expect(refused[0]).toBeInstanceOf(EngineError);
      expect((refused[0] as EngineError).code).toBe("AlreadyExists");
    }
    // An update from a replica that has not been told of a newer version is a conflict, not a lost update.
    const created = await a!.create(ag, agNamed("rv-check"));
    const stale = structuredClone(created);
    await a!.update(ag, { ...structuredClone(created), metadata: { ...created.metadata, labels: { by: "a" } } });
    stale.metadata.labels = { by: "b" };
    const err = await b!.update(ag, stale).catch((e: unknown) => e);
    expect((err as EngineError).code).toBe("Conflict");
  });
}, 30_000);

test("watchers on every replica see every event once, in the same order, also across a replica restart", async () => {
  await withReplicas(3, async (rs, db) => {
    const recs = rs.map((r) => record(r, "AddressGroup"));
    let n = 0;
    const writeSome = async (writers: Engine[], count: number) => {
      await Promise.all(
        writers.map(async (w) => {
          for (let i = 0; i < count; i++) {
            const o = await w.create(ag, agNamed(`o-${n++}`));
            if (i % 3 === 0) await w.delete(ag, o.metadata.namespace, o.metadata.name);
          }
        }),
      );
    };
    await writeSome(rs, 10);

    // Replica 0 goes away mid-stream ; the others keep writing.
    const resumeFrom = recs[0]!.lastRv();
    recs[0]!.stop();
    await rs[0]!.close();
    await writeSome([rs[1]!, rs[2]!], 10);
    const restarted = await openReplica(db.url);
    rs[0] = restarted;
    const resumed = record(restarted, "AddressGroup", resumeFrom);
    await writeSome(rs, 10);

    const check = await openPostgres(db.url);
    const [row] = await check.query("SELECT MAX(rv) AS last, COUNT(*) AS n FROM events WHERE kind = 'AddressGroup'");
    await check.close();
    const lastRv = Number(row!.last);
    const all = [recs[1]!, recs[2]!];
    for (const r of all) await until(() => (r.seen.at(-1)?.rv ?? 0) >= lastRv, 10_000, "watchers to see the last event");
    await until(() => (resumed.seen.at(-1)?.rv ?? 0) >= lastRv, 10_000, "the restarted replica's watcher");
    const expected = all[0]!.seen.map(key);
    expect(new Set(expected).size).toBe(expected.length);
    expect(expected.length).toBe(Number(row!.n));
    expect(all[1]!.seen.map(key)).toEqual(expected);
    // Before the restart plus after it: exactly the same sequence, nothing lost, nothing twice.
    expect([...recs[0]!.seen.filter((e) => e.rv <= resumeFrom), ...resumed.seen].map(key)).toEqual(expected);
    for (const r of [...recs, resumed]) r.stop();
  });
}, 45_000);
