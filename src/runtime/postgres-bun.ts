/** The `Bun.SQL` adapter for PostgreSQL. Only imported under Bun (see postgres-driver.ts). */
import { SQL } from "bun";
import type { PgDeadlines, PgDriver, PgQueryable, PgRow, PgValue } from "./postgres-driver.ts";

function queryable(sql: SQL): PgQueryable {
  return {
    async query(text: string, params: PgValue[] = []): Promise<PgRow[]> {
      const rows = (await sql.unsafe(text, params)) as PgRow[];
      return [...rows];
    },
  };
}

/** Prefer `openPostgres`; exported so tests can open a second, independent pool. */
export function openBunPostgres(url: string, d: PgDeadlines, max: number): PgDriver {
  const sql = new SQL(url, {
    max,
    connectionTimeout: d.connectTimeoutS,
    idleTimeout: 60,
    connection: {
      statement_timeout: d.statementTimeoutMs,
      lock_timeout: d.lockTimeoutMs,
      idle_in_transaction_session_timeout: d.idleInTransactionTimeoutMs,
      application_name: "netguard-backend",
    },
  });
  const pool = queryable(sql);
  return {
    query: pool.query,
    transaction: <T>(fn: (tx: PgQueryable) => Promise<T>): Promise<T> =>
      sql.begin(async (tx) => fn(queryable(tx as unknown as SQL))) as Promise<T>,
    async listen(channel, onNotify) {
      const sub = await sql.listen(channel, onNotify);
      return () => sub.unlisten();
    },
    async close() {
      await sql.close({ timeout: 2 });
    },
  };
}
