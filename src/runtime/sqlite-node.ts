/**
 * The `node:sqlite` adapter: the path Deno takes (it has no `bun:sqlite`). Also loads under Bun,
 * which is how the tests exercise it.
 */
import { DatabaseSync } from "node:sqlite";
import type { SqliteDriver, SqliteStatement, SqlRow, SqlValue } from "./sqlite-driver.ts";
import { CONNECTION_PRAGMAS, ensureParentDir, runInTransaction } from "./sqlite-shared.ts";

/** Prefer `openSqlite`; this is exported so tests can pin the engine. */
export function openNodeSqlite(path: string): SqliteDriver {
  ensureParentDir(path);
  const db = new DatabaseSync(path);
  const exec = (sql: string): void => {
    db.exec(sql);
  };
  try {
    for (const pragma of CONNECTION_PRAGMAS) exec(pragma);
  } catch (err) {
    db.close();
    throw err;
  }
  let closed = false;
  return {
    engine: "node:sqlite",
    exec,
    prepare(sql: string): SqliteStatement {
      const stmt = db.prepare(sql);
      return {
        run: (...params: SqlValue[]) => ({ changes: Number(stmt.run(...params).changes) }),
        all: (...params: SqlValue[]) => stmt.all(...params) as SqlRow[],
        get: (...params: SqlValue[]) => stmt.get(...params) as SqlRow | undefined,
      };
    },
    transaction: (fn) => runInTransaction(exec, fn),
    close() {
      // node:sqlite throws when closing twice; the driver contract says it is safe.
      if (closed) return;
      closed = true;
      db.close();
    },
  };
}
