/**
 * The one SQLite surface the store is written against. Bun ships `bun:sqlite`, Deno only
 * `node:sqlite`; both are synchronous and differ in small ways (null vs undefined for a missing row,
 * transaction helpers, close semantics). The adapters iron those out so the store code and its
 * tests are identical on every runtime.
 */

/** A value SQLite can bind or return (integers come back as `number`). */
export type SqlValue = null | number | bigint | string | Uint8Array;

/** One result row, column name to value. */
export type SqlRow = Record<string, SqlValue>;

/** A compiled statement; prepare once, run many times (re-parsing SQL dominates small writes). */
export interface SqliteStatement {
  /** Executes with positional parameters; `changes` lets callers see whether a row was touched. */
  run(...params: SqlValue[]): { changes: number };
  all(...params: SqlValue[]): SqlRow[];
  /** The first row, or `undefined` on both runtimes (bun:sqlite itself returns `null`). */
  get(...params: SqlValue[]): SqlRow | undefined;
}

export interface SqliteDriver {
  /** Which built-in is underneath, for logs and for tests that must know which path ran. */
  readonly engine: "bun:sqlite" | "node:sqlite";
  /** Runs one or more statements without parameters or results (schema, pragmas). */
  exec(sql: string): void;
  prepare(sql: string): SqliteStatement;
  /**
   * Runs `fn` between BEGIN IMMEDIATE and COMMIT, and rolls back when it throws. IMMEDIATE takes
   * the write lock up front, so a second process fails fast (after busy_timeout) instead of
   * deadlocking on a read-to-write upgrade. `fn` must be synchronous: anything after an `await`
   * would run outside the transaction, so a returned promise is rejected and rolled back.
   */
  transaction<T>(fn: () => T): T;
  /** Releases the connection; safe to call twice. Statements fail afterwards. */
  close(): void;
}

/**
 * Opens (creating if needed, parent directory included) a SQLite database in WAL mode with
 * synchronous=NORMAL: commits survive a process crash, not necessarily a power loss, which is the
 * trade the store accepts for much cheaper commits. Picks `bun:sqlite` under Bun and `node:sqlite`
 * elsewhere (Deno); the adapters are imported lazily so neither runtime loads a module it lacks.
 * `engine` overrides the choice, so the Deno path can be run and debugged under Bun.
 */
export async function openSqlite(
  path: string,
  engine: SqliteDriver["engine"] = typeof Bun !== "undefined" ? "bun:sqlite" : "node:sqlite",
): Promise<SqliteDriver> {
  if (engine === "bun:sqlite") {
    const { openBunSqlite } = await import("./sqlite-bun.ts");
    return openBunSqlite(path);
  }
  const { openNodeSqlite } = await import("./sqlite-node.ts");
  return openNodeSqlite(path);
}
