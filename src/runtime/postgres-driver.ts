/**
 * The one PostgreSQL surface the store is written against, so that core code never touches a
 * runtime global. Under Bun it is Bun's built-in `Bun.SQL` (no dependency, LISTEN/NOTIFY
 * included); the adapter is imported lazily so another runtime never loads a module it lacks.
 */

/** A value the store binds: text, integers (as numbers) or null. */
export type PgValue = string | number | null;

/** One result row, column name to value (int8 columns come back as strings; callers convert). */
export type PgRow = Record<string, unknown>;

/** Something that runs a statement: the pool, or one connection inside a transaction. */
export interface PgQueryable {
  query(sql: string, params?: PgValue[]): Promise<PgRow[]>;
}

export interface PgDriver extends PgQueryable {
  /** Runs `fn` on one connection between BEGIN and COMMIT; rolls back when it throws. */
  transaction<T>(fn: (tx: PgQueryable) => Promise<T>): Promise<T>;
  /**
   * Subscribes to NOTIFY on `channel` over a dedicated connection that reconnects by itself;
   * resolves once LISTEN is acknowledged. The returned function unsubscribes.
   */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/**
 * Deadlines every connection carries, so that no call to the database can wait forever: the
 * connect attempt, each statement, each lock wait, and a transaction left idle by a stuck caller.
 */
export interface PgDeadlines {
  connectTimeoutS: number;
  statementTimeoutMs: number;
  lockTimeoutMs: number;
  idleInTransactionTimeoutMs: number;
}

export const DEFAULT_PG_DEADLINES: PgDeadlines = {
  connectTimeoutS: 5,
  statementTimeoutMs: 15_000,
  lockTimeoutMs: 10_000,
  idleInTransactionTimeoutMs: 30_000,
};

/** Opens a pool of at most `max` connections to `url` (postgres://…); connects lazily. */
export async function openPostgres(url: string, deadlines: PgDeadlines = DEFAULT_PG_DEADLINES, max = 4): Promise<PgDriver> {
  if (typeof Bun === "undefined") {
    throw new Error("PostgreSQL storage needs Bun's built-in SQL client (run the backend under Bun)");
  }
  const { openBunPostgres } = await import("./postgres-bun.ts");
  return openBunPostgres(url, deadlines, max);
}
