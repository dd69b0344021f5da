/**
 * A read-only PostgreSQL client for one job: the import of an upstream netguard-pg-backend
 * database (src/import/). It runs on Bun's built-in `Bun.SQL`, so the product needs no driver
 * package; the driver stays behind this file. Every statement has a deadline: an unreachable or
 * stalled source ends the import with a clear error instead of hanging it.
 */

/** One result row, column name to value (as Bun.SQL returns it). */
export type PgRow = Record<string, unknown>;

export interface PostgresReader {
  /** Runs one statement with positional parameters ($1…); rejects after the deadline. */
  query(sql: string, params?: unknown[]): Promise<PgRow[]>;
  close(): Promise<void>;
}

export interface PostgresReaderOptions {
  /** Deadline of each statement, connecting included (ms). */
  timeoutMs: number;
}

/** Thrown when the source cannot be reached or read; the message never contains the password. */
export class PostgresReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PostgresReadError";
  }
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparsable URL)";
  }
}

/**
 * Opens a lazy connection to `url` (postgres:// or postgresql://). Nothing is sent until the first
 * query; a refused connection, bad credentials or a missing table reject that query.
 */
export async function createPostgresReader(url: string, o: PostgresReaderOptions): Promise<PostgresReader> {
  if (!/^postgres(ql)?:\/\//.test(url)) throw new PostgresReadError(`not a postgres:// URL: ${redactUrl(url)}`);
  const g = globalThis as { Bun?: { SQL: new (url: string, opts: Record<string, unknown>) => BunSql } };
  if (!g.Bun?.SQL) throw new PostgresReadError("reading PostgreSQL needs Bun (Bun.SQL); run the import with `npx bun`");
  const sql = new g.Bun.SQL(url, {
    max: 1,
    connectionTimeout: Math.max(1, Math.ceil(o.timeoutMs / 1000)),
    idleTimeout: 0,
  });
  let closed = false;
  return {
    async query(text, params = []) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new PostgresReadError(`query timed out after ${o.timeoutMs} ms`)), o.timeoutMs);
      });
      try {
        return await Promise.race([sql.unsafe(text, params), deadline]);
      } catch (e) {
        if (e instanceof PostgresReadError) {
          // a stalled statement may still hold the connection: drop it so the process can end
          void sql.close({ timeout: 0 }).catch(() => undefined);
          closed = true;
          throw e;
        }
        throw new PostgresReadError((e as Error)?.message ?? String(e));
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await sql.close({ timeout: 1 }).catch(() => undefined);
    },
  };
}

interface BunSql {
  unsafe(text: string, params?: unknown[]): Promise<PgRow[]>;
  close(o?: { timeout?: number }): Promise<void>;
}
