/**
 * The PostgreSQL schema and its migrations. The product creates and upgrades its own schema: each
 * migration runs once, in order, recorded in `netguard_schema_migrations`. Several replicas may start
 * at the same moment, so the whole run holds a transaction-scoped advisory lock: the first replica
 * migrates, the others wait and then find nothing left to do. A database migrated by a newer build
 * is refused rather than written with an older idea of its tables.
 */
import type { PgDriver } from "../../runtime/postgres-driver.ts";

/** Key of the advisory lock that serialises migrations (an arbitrary constant: "netguard"). */
export const MIGRATION_LOCK_KEY = 0x6e6574677561;

/** Migrations in order; a migration is never edited once released, only followed by a new one. */
export const MIGRATIONS: readonly { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
CREATE TABLE objects (
  kind TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL,
  rv BIGINT NOT NULL, body TEXT NOT NULL,
  PRIMARY KEY (kind, namespace, name)
);
CREATE TABLE events (
  rv BIGINT PRIMARY KEY, kind TEXT NOT NULL, type TEXT NOT NULL,
  namespace TEXT NOT NULL, name TEXT NOT NULL, body TEXT NOT NULL,
  prev_labels TEXT NULL, time BIGINT NOT NULL
);
CREATE INDEX events_kind_rv ON events (kind, rv);
-- The one resourceVersion counter and the log's retention floor. Writers lock this row for the
-- whole transaction, so commit order is counter order on every replica.
CREATE TABLE counter (id INT PRIMARY KEY CHECK (id = 1), rv BIGINT NOT NULL, floor BIGINT NOT NULL);
INSERT INTO counter (id, rv, floor) VALUES (1, 0, 0);
`,
  },
];

export const PG_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** Brings the database up to PG_SCHEMA_VERSION; returns the migrations it applied. */
export async function migrate(db: PgDriver): Promise<number[]> {
  return db.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK_KEY]);
    await tx.query(
      "CREATE TABLE IF NOT EXISTS netguard_schema_migrations (version INT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
    );
    const [row] = await tx.query("SELECT COALESCE(MAX(version), 0) AS v FROM netguard_schema_migrations");
    const found = Number(row?.v ?? 0);
    if (found > PG_SCHEMA_VERSION) {
      throw new Error(`PostgreSQL store has schema version ${found}; this build understands ${PG_SCHEMA_VERSION}`);
    }
    const applied: number[] = [];
    for (const m of MIGRATIONS) {
      if (m.version <= found) continue;
      await tx.query(m.sql);
      await tx.query("INSERT INTO netguard_schema_migrations (version) VALUES ($1)", [m.version]);
      applied.push(m.version);
    }
    return applied;
  });
}
