import { describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { openSqlite, type SqliteDriver } from "../../src/runtime/sqlite-driver.ts";
import { openBunSqlite } from "../../src/runtime/sqlite-bun.ts";
import { openNodeSqlite } from "../../src/runtime/sqlite-node.ts";
import { makeTempDir } from "./temp-dir.ts";

const adapters: [SqliteDriver["engine"], (path: string) => SqliteDriver][] = [
  ["bun:sqlite", openBunSqlite],
  ["node:sqlite", openNodeSqlite],
];

async function withDriver(open: (path: string) => SqliteDriver, fn: (db: SqliteDriver, file: string) => void | Promise<void>) {
  const dir = makeTempDir();
  const file = join(dir.path, "sub", "t.db");
  const db = open(file);
  try {
    db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, data BLOB)");
    await fn(db, file);
  } finally {
    db.close();
    dir.remove();
  }
}

for (const [engine, open] of adapters) {
  describe(`${engine} driver`, () => {
    test("reports which engine it runs on", async () => {
      await withDriver(open, (db) => expect(db.engine).toBe(engine));
    });

    test("binds positional parameters and returns rows as plain objects", async () => {
      await withDriver(open, (db) => {
        const insert = db.prepare("INSERT INTO t (id, name, data) VALUES (?, ?, ?)");
        expect(insert.run(1, "one", null)).toEqual({ changes: 1 });
        insert.run(2, "two", new Uint8Array([1, 2, 3]));
        insert.run(3, null, null);
        expect(db.prepare("SELECT id, name FROM t WHERE id > ? ORDER BY id").all(1)).toEqual([
          { id: 2, name: "two" },
          { id: 3, name: null },
        ]);
        const blob = db.prepare("SELECT data FROM t WHERE id = ?").get(2)!.data;
        expect(Array.from(blob as Uint8Array)).toEqual([1, 2, 3]);
        expect(db.prepare("UPDATE t SET name = 'x' WHERE id > ?").run(0)).toEqual({ changes: 3 });
      });
    });

    test("returns undefined from get when no row matches", async () => {
      await withDriver(open, (db) => {
        expect(db.prepare("SELECT * FROM t WHERE id = ?").get(42)).toBeUndefined();
      });
    });

    test("commits the writes of a transaction and returns its result", async () => {
      await withDriver(open, (db) => {
        const insert = db.prepare("INSERT INTO t (id, name) VALUES (?, ?)");
        const result = db.transaction(() => {
          insert.run(1, "a");
          insert.run(2, "b");
          return "done";
        });
        expect(result).toBe("done");
        expect(db.prepare("SELECT COUNT(*) AS n FROM t").get()).toEqual({ n: 2 });
      });
    });

    test("rolls back a transaction that throws and rethrows its error", async () => {
      await withDriver(open, (db) => {
        const insert = db.prepare("INSERT INTO t (id, name) VALUES (?, ?)");
        insert.run(1, "kept");
        expect(() =>
          db.transaction(() => {
            insert.run(2, "gone");
            insert.run(1, "duplicate key");
          }),
        ).toThrow();
        expect(db.prepare("SELECT id FROM t").all()).toEqual([{ id: 1 }]);
        // The connection is out of the failed transaction and can start another.
        db.transaction(() => insert.run(3, "later"));
        expect(db.prepare("SELECT COUNT(*) AS n FROM t").get()).toEqual({ n: 2 });
      });
    });

    test("rolls back and rejects an asynchronous transaction body", async () => {
      await withDriver(open, (db) => {
        const insert = db.prepare("INSERT INTO t (id, name) VALUES (?, ?)");
        expect(() =>
          db.transaction(async () => {
            insert.run(1, "before await");
          }),
        ).toThrow(/synchronous/);
        expect(db.prepare("SELECT COUNT(*) AS n FROM t").get()).toEqual({ n: 0 });
      });
    });

    test("opens files in WAL mode with synchronous=NORMAL, creating the parent directory", async () => {
      await withDriver(open, (db, file) => {
        expect(existsSync(file)).toBe(true);
        expect(db.prepare("PRAGMA journal_mode").get()).toEqual({ journal_mode: "wal" });
        expect(db.prepare("PRAGMA synchronous").get()).toEqual({ synchronous: 1 }); // 1 = NORMAL
      });
    });

    test("closes more than once without throwing and fails statements afterwards", async () => {
      const dir = makeTempDir();
      try {
        const db = open(join(dir.path, "t.db"));
        const stmt = db.prepare("SELECT 1 AS one");
        expect(stmt.get()).toEqual({ one: 1 });
        db.close();
        db.close();
        expect(() => stmt.get()).toThrow();
      } finally {
        dir.remove();
      }
    });
  });
}

describe("openSqlite", () => {
  test("uses bun:sqlite when running under Bun", async () => {
    const dir = makeTempDir();
    try {
      const db = await openSqlite(join(dir.path, "a", "b.db"));
      expect(db.engine).toBe("bun:sqlite");
      expect(db.prepare("PRAGMA journal_mode").get()).toEqual({ journal_mode: "wal" });
      db.close();
    } finally {
      dir.remove();
    }
  });

  test("loads node:sqlite, the Deno path, when asked for it", async () => {
    const dir = makeTempDir();
    try {
      const db = await openSqlite(join(dir.path, "a", "b.db"), "node:sqlite");
      expect(db.engine).toBe("node:sqlite");
      expect(db.prepare("PRAGMA journal_mode").get()).toEqual({ journal_mode: "wal" });
      db.close();
    } finally {
      dir.remove();
    }
  });

  test("opens an in-memory database without touching the file system", async () => {
    const db = await openSqlite(":memory:");
    db.exec("CREATE TABLE t (x INTEGER)");
    db.prepare("INSERT INTO t VALUES (?)").run(1);
    expect(db.prepare("SELECT x FROM t").all()).toEqual([{ x: 1 }]);
    db.close();
    expect(existsSync(":memory:")).toBe(false);
  });
});
