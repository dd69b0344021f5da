import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import {
  createSqlitePersistence,
  openSqlitePersistence,
  SQLITE_SCHEMA_VERSION,
} from "../../src/backend/store/sqlite-persistence.ts";
import type { SqliteDriver } from "../../src/runtime/sqlite-driver.ts";
import { openBunSqlite } from "../../src/runtime/sqlite-bun.ts";
import { openNodeSqlite } from "../../src/runtime/sqlite-node.ts";
import { describePersistenceContract, type PersistenceHarness } from "./persistence-contract.ts";
import { addedRange, makeEvent } from "./fixtures.ts";
import { makeTempDir } from "./temp-dir.ts";

function sqliteHarness(openDriver: (path: string) => SqliteDriver): () => PersistenceHarness {
  return () => {
    const dir = makeTempDir();
    const file = join(dir.path, "store.db");
    return { open: async () => createSqlitePersistence(openDriver(file)), dispose: dir.remove };
  };
}

describePersistenceContract("sqlite on bun:sqlite", sqliteHarness(openBunSqlite));
// node:sqlite is what Deno runs on; Bun has it too, so the Deno path is exercised here.
describePersistenceContract("sqlite on node:sqlite", sqliteHarness(openNodeSqlite));

/** Wraps a driver so that the `nth` run of statements matching `sqlPart` throws, like a full disk would. */
function failingDriver(inner: SqliteDriver, sqlPart: string, nth: number): SqliteDriver {
  let runs = 0;
  return {
    engine: inner.engine,
    exec: (sql) => inner.exec(sql),
    transaction: (fn) => inner.transaction(fn),
    close: () => inner.close(),
    prepare(sql) {
      const stmt = inner.prepare(sql);
      if (!sql.includes(sqlPart)) return stmt;
      return {
        all: (...p) => stmt.all(...p),
        get: (...p) => stmt.get(...p),
        run: (...p) => {
          if (++runs === nth) throw new Error("SQLITE_FULL: database or disk is full (simulated)");
          return stmt.run(...p);
        },
      };
    },
  };
}

describe("sqlite persistence", () => {
  test("rolls back the whole batch when the database fails midway through a commit", async () => {
    const dir = makeTempDir();
    const file = join(dir.path, "store.db");
    try {
      // Third event insert overall: the first commit does one, the failing batch fails on its second.
      const store = createSqlitePersistence(failingDriver(openBunSqlite(file), "INSERT INTO events", 3));
      await store.commit({ rv: 1, events: [makeEvent(1, "ADDED", "Service", "a")] });
      await expect(
        store.commit({
          rv: 9,
          events: [makeEvent(2, "MODIFIED", "Service", "a"), makeEvent(3, "ADDED", "Service", "b")],
        }),
      ).rejects.toThrow("simulated");
      await store.close();

      const reopened = createSqlitePersistence(openBunSqlite(file));
      try {
        const loaded = await reopened.load();
        expect(loaded.rv).toBe(1);
        expect(loaded.objects.map((o) => o.object.metadata.resourceVersion)).toEqual(["1"]);
        expect((await reopened.readEvents("Service", 0, 10)).map((e) => e.rv)).toEqual([1]);
      } finally {
        await reopened.close();
      }
    } finally {
      dir.remove();
    }
  });

  test("reads a file written through bun:sqlite with node:sqlite and back", async () => {
    const dir = makeTempDir();
    const file = join(dir.path, "store.db");
    try {
      const viaBun = createSqlitePersistence(openBunSqlite(file));
      await viaBun.commit({ rv: 3, events: addedRange(1, 3) });
      await viaBun.close();

      const viaNode = createSqlitePersistence(openNodeSqlite(file));
      expect((await viaNode.load()).rv).toBe(3);
      expect(await viaNode.eventCount()).toBe(3);
      await viaNode.commit({ rv: 4, events: addedRange(4, 4) });
      await viaNode.close();

      const again = createSqlitePersistence(openBunSqlite(file));
      expect((await again.load()).objects).toHaveLength(4);
      await again.close();
    } finally {
      dir.remove();
    }
  });

  test("refuses a file written by a newer schema version and leaves it untouched", async () => {
    const dir = makeTempDir();
    const file = join(dir.path, "store.db");
    try {
      const store = createSqlitePersistence(openBunSqlite(file));
      await store.commit({ rv: 1, events: addedRange(1, 1) });
      await store.close();

      const driver = openBunSqlite(file);
      driver.prepare("UPDATE state SET value = ? WHERE key = 'schema_version'").run(SQLITE_SCHEMA_VERSION + 1);
      expect(() => createSqlitePersistence(driver)).toThrow(/schema version 2/);
      expect(driver.prepare("SELECT COUNT(*) AS n FROM events").get()).toEqual({ n: 1 });
      driver.close();
    } finally {
      dir.remove();
    }
  });

  test("records the schema version in a new file", async () => {
    const dir = makeTempDir();
    try {
      const driver = openBunSqlite(join(dir.path, "store.db"));
      const store = createSqlitePersistence(driver);
      expect(driver.prepare("SELECT value FROM state WHERE key = 'schema_version'").get()).toEqual({
        value: SQLITE_SCHEMA_VERSION,
      });
      await store.close();
    } finally {
      dir.remove();
    }
  });

  test("opens a store in a data directory that does not exist yet", async () => {
    const dir = makeTempDir();
    try {
      const file = join(dir.path, "data", "nested", "store.db");
      const store = await openSqlitePersistence(file);
      await store.commit({ rv: 1, events: addedRange(1, 1) });
      await store.close();
      const reopened = await openSqlitePersistence(file);
      expect((await reopened.load()).rv).toBe(1);
      await reopened.close();
    } finally {
      dir.remove();
    }
  });
});
