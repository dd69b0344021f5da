/**
 * A fresh PostgreSQL database per test (the server at 127.0.0.1:5432 is shared with CI and other
 * runs), created through the `postgres` database and dropped afterwards. NETGUARD_TEST_PG_URL
 * points at another server (a URL of its maintenance database).
 */
import { openPostgres, type PgDriver } from "../../src/runtime/postgres-driver.ts";

export const ADMIN_URL = process.env.NETGUARD_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

let admin: PgDriver | undefined;
async function adminDb(): Promise<PgDriver> {
  admin ??= await openPostgres(ADMIN_URL, { connectTimeoutS: 5, statementTimeoutMs: 30_000, lockTimeoutMs: 10_000, idleInTransactionTimeoutMs: 30_000 }, 2);
  return admin;
}

/** Creates an empty database with a name no other run uses. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `netguard_t_${process.pid}_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
  const db = await adminDb();
  await db.query(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      await db.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/** Closes the shared admin connection (call in afterAll). */
export async function closeTestDatabases(): Promise<void> {
  await admin?.close();
  admin = undefined;
}
