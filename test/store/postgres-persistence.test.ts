import { afterAll, describe, expect, test } from "bun:test";
import { createPostgresPersistence, openPostgresPersistence } from "../../src/backend/store/postgres-persistence.ts";
import { migrate, PG_SCHEMA_VERSION } from "../../src/backend/store/postgres-schema.ts";
import { StoreUnavailableError } from "../../src/backend/store/store-errors.ts";
import { openPostgres } from "../../src/runtime/postgres-driver.ts";
import { describePersistenceContract } from "./persistence-contract.ts";
import { addedRange } from "./fixtures.ts";
import { ADMIN_URL, closeTestDatabases, createTestDatabase } from "./postgres-test-db.ts";

afterAll(closeTestDatabases);

describePersistenceContract("postgres on Bun.SQL", () => {
  const db = createTestDatabase();
  return {
    open: async () => openPostgresPersistence((await db).url, { log: () => {} }),
    dispose: async () => (await db).drop(),
  };
});

describe("postgres persistence", () => {
  test("replicas starting at once migrate the schema exactly once", async () => {
    const tdb = await createTestDatabase();
    try {
      const drivers = await Promise.all([1, 2, 3, 4].map(() => openPostgres(tdb.url)));
      const applied = await Promise.all(drivers.map((d) => migrate(d)));
      expect(applied.flat()).toEqual([PG_SCHEMA_VERSION]);
      const rows = await drivers[0]!.query("SELECT version FROM netguard_schema_migrations");
      expect(rows.map((r) => r.version)).toEqual([PG_SCHEMA_VERSION]);
      await Promise.all(drivers.map((d) => d.close()));
    } finally {
      await tdb.drop();
    }
  });

  test("refuses a database migrated by a newer build", async () => {
    const tdb = await createTestDatabase();
    try {
      const d = await openPostgres(tdb.url);
      await migrate(d);
      await d.query("INSERT INTO netguard_schema_migrations (version) VALUES ($1)", [PG_SCHEMA_VERSION + 1]);
      await d.close();
      await expect(openPostgresPersistence(tdb.url)).rejects.toThrow(/schema version/);
    } finally {
      await tdb.drop();
    }
  });

  test("an unreachable database fails writes as unavailable, writes nothing, and logs once", async () => {
    const tdb = await createTestDatabase();
    const logs: string[] = [];
    try {
      const driver = await openPostgres(tdb.url, { connectTimeoutS: 2, statementTimeoutMs: 5000, lockTimeoutMs: 5000, idleInTransactionTimeoutMs: 5000 }, 2);
      const store = await createPostgresPersistence(driver, { log: (m) => logs.push(m) });
      await store.commit({ rv: 2, events: addedRange(1, 2) });
      // The database goes away under the store: every connection is terminated and refused.
      const check = await openPostgres(ADMIN_URL);
      await check.query(`ALTER DATABASE ${tdb.name} ALLOW_CONNECTIONS false`);
      await check.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", [tdb.name]);
      await check.close();
      for (let i = 0; i < 3; i++) {
        const err = await store.commit({ rv: 3 + i, events: addedRange(3 + i, 3 + i) }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(StoreUnavailableError);
      }
      expect(logs.length).toBe(1);
      expect(logs[0]).toMatch(/PostgreSQL unavailable/);
      const admin = await openPostgres(ADMIN_URL);
      await admin.query(`ALTER DATABASE ${tdb.name} ALLOW_CONNECTIONS true`);
      await admin.close();
      expect((await store.load()).rv).toBe(2);
      expect(await store.eventCount()).toBe(2);
      expect(logs.length).toBe(2);
      await store.close();
    } finally {
      await tdb.drop();
    }
  }, 20_000);
});
