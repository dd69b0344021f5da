/** The `bun:sqlite` adapter. Only imported under Bun: the module does not exist elsewhere. */
import { Database } from "bun:sqlite";
import type { SqliteDriver, SqliteStatement, SqlRow, SqlValue } from "./sqlite-driver.ts";
import { CONNECTION_PRAGMAS, ensureParentDir, runInTransaction } from "./sqlite-shared.ts";

/** Prefer `openSqlite`; this is exported so tests can pin the engine. */
export function openBunSqlite(path: string): SqliteDriver {
  ensureParentDir(path);
  const db = new Database(path, { create: true, readwrite: true, strict: true });
  const exec = (sql: string): void => {
    db.run(sql);
  };
  try {
    for (const pragma of CONNECTION_PRAGMAS) exec(pragma);
  } catch (err) {
    db.close(true);
    throw err;
  }
  let closed = false;
  return {
    engine: "bun:sqlite",
    exec,
    prepare(sql: string): SqliteStatement {
      const stmt = db.prepare<SqlRow, SqlValue[]>(sql);
      return {
        run: (...params) => ({ changes: Number(stmt.run(...params).changes) }),
        all: (...params) => stmt.all(...params),
        get: (...params) => stmt.get(...params) ?? undefined,
      };
    },
    transaction: (fn) => runInTransaction(exec, fn),
    close() {
      if (closed) return;
      closed = true;
      // true: finalize cached statements now, so the file lock and WAL are released at once
      // (otherwise the connection lingers until every statement is garbage collected).
      db.close(true);
    },
  };
}
