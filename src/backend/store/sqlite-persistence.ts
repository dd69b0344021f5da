/**
 * The embedded default Persistence: one SQLite file holding current objects, the event log and the
 * counter, so a restart resumes resourceVersions where it stopped and watchers can catch up from
 * the log instead of relisting.
 */
import { eventFromRow } from "./event-row.ts";
import type { KubeObject } from "../../kinds/model.ts";
import type { SqliteDriver, SqlValue } from "../../runtime/sqlite-driver.ts";
import { openSqlite } from "../../runtime/sqlite-driver.ts";
import { checkCommitBatch } from "./commit-check.ts";
import type { CommitBatch, LoadedState, Persistence, RetentionPolicy, StoredEvent } from "./persistence.ts";
import { retentionCut } from "./retention.ts";
import { PersistenceClosedError } from "./store-errors.ts";

/** Bumped on incompatible schema changes; an older binary refuses a newer file instead of corrupting it. */
export const SQLITE_SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS objects (
  kind TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL,
  rv INTEGER NOT NULL, body TEXT NOT NULL,
  PRIMARY KEY (kind, namespace, name)
);
CREATE TABLE IF NOT EXISTS events (
  rv INTEGER PRIMARY KEY, kind TEXT NOT NULL, type TEXT NOT NULL,
  namespace TEXT NOT NULL, name TEXT NOT NULL, body TEXT NOT NULL,
  prev_labels TEXT NULL, time INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS events_kind_rv ON events (kind, rv);
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
`;

/**
 * Takes ownership of `driver` (close() closes it). Creates the schema on a new file and checks its
 * version on an existing one, so it throws right away rather than on the first commit.
 */
export function createSqlitePersistence(driver: SqliteDriver): Persistence {
  driver.transaction(() => {
    driver.exec(SCHEMA);
    driver
      .prepare("INSERT OR IGNORE INTO state (key, value) VALUES ('schema_version', ?), ('rv', 0), ('floor', 0)")
      .run(SQLITE_SCHEMA_VERSION);
    const found = num(driver.prepare("SELECT value FROM state WHERE key = 'schema_version'").get()?.value ?? null);
    if (found !== SQLITE_SCHEMA_VERSION) {
      throw new Error(`SQLite store has schema version ${found}; this build understands ${SQLITE_SCHEMA_VERSION}`);
    }
  });

  const q = {
    getState: driver.prepare("SELECT value FROM state WHERE key = ?"),
    setState: driver.prepare(
      "INSERT INTO state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    ),
    upsertObject: driver.prepare(
      "INSERT INTO objects (kind, namespace, name, rv, body) VALUES (?, ?, ?, ?, ?) " +
        "ON CONFLICT (kind, namespace, name) DO UPDATE SET rv = excluded.rv, body = excluded.body",
    ),
    deleteObject: driver.prepare("DELETE FROM objects WHERE kind = ? AND namespace = ? AND name = ?"),
    insertEvent: driver.prepare(
      "INSERT INTO events (rv, kind, type, namespace, name, body, prev_labels, time) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    ),
    allObjects: driver.prepare("SELECT kind, body FROM objects ORDER BY kind, namespace, name"),
    eventsAfter: driver.prepare(
      "SELECT rv, kind, type, namespace, name, body, prev_labels, time FROM events " +
        "WHERE kind = ? AND rv > ? ORDER BY rv LIMIT ?",
    ),
    countEvents: driver.prepare("SELECT COUNT(*) AS n FROM events"),
    rvWithNewer: driver.prepare("SELECT rv FROM events ORDER BY rv DESC LIMIT 1 OFFSET ?"),
    firstRvAtOrAfter: driver.prepare("SELECT rv FROM events WHERE time >= ? ORDER BY rv LIMIT 1"),
    lastRvBelow: driver.prepare("SELECT MAX(rv) AS rv FROM events WHERE rv < ?"),
    lastRv: driver.prepare("SELECT MAX(rv) AS rv FROM events"),
    deleteEventsUpTo: driver.prepare("DELETE FROM events WHERE rv <= ?"),
  };

  const readState = (key: "rv" | "floor"): number => num(q.getState.get(key)?.value ?? 0);
  const optRv = (row: { rv?: SqlValue } | undefined): number | undefined =>
    row?.rv === undefined || row.rv === null ? undefined : num(row.rv);

  let closed = false;
  const live = (): void => {
    if (closed) throw new PersistenceClosedError();
  };

  return {
    async load(): Promise<LoadedState> {
      live();
      return driver.transaction(() => ({
        objects: q.allObjects.all().map((r) => ({ kind: str(r.kind), object: JSON.parse(str(r.body)) as KubeObject })),
        rv: readState("rv"),
        floorRv: readState("floor"),
      }));
    },

    async commit(batch: CommitBatch): Promise<void> {
      live();
      driver.transaction(() => {
        checkCommitBatch(batch, readState("rv"));
        for (const e of batch.events) {
          // Serialized inside the transaction: an object JSON cannot encode aborts the whole batch.
          const body = JSON.stringify(e.object);
          if (e.type === "DELETED") q.deleteObject.run(e.kind, e.namespace, e.name);
          else q.upsertObject.run(e.kind, e.namespace, e.name, e.rv, body);
          const prevLabels = e.prevLabels === undefined ? null : JSON.stringify(e.prevLabels);
          q.insertEvent.run(e.rv, e.kind, e.type, e.namespace, e.name, body, prevLabels, e.time);
        }
        q.setState.run("rv", batch.rv);
      });
    },

    async readEvents(kind: string, afterRv: number, limit: number): Promise<StoredEvent[]> {
      live();
      // SQLite reads a negative LIMIT as "no limit"; the contract says at most `limit`.
      if (limit <= 0) return [];
      return q.eventsAfter.all(kind, afterRv, limit).map((r) => eventFromRow(r as Record<string, unknown>));
    },

    async trim(policy: RetentionPolicy, nowMs: number): Promise<number> {
      live();
      return driver.transaction(() => {
        const cut = retentionCut(policy, nowMs, {
          rvWithNewer: (offset) => optRv(q.rvWithNewer.get(offset)),
          firstRvAtOrAfter: (cutoff) => optRv(q.firstRvAtOrAfter.get(cutoff)),
          lastRvBelow: (rv) => optRv(q.lastRvBelow.get(rv)),
          lastRv: () => optRv(q.lastRv.get()),
        });
        const oldFloor = readState("floor");
        if (cut <= oldFloor) return oldFloor;
        q.deleteEventsUpTo.run(cut);
        q.setState.run("floor", cut);
        return cut;
      });
    },

    async eventCount(): Promise<number> {
      live();
      return num(q.countEvents.get()?.n ?? 0);
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      driver.close();
    },
  };
}

/** Opens the SQLite file at `path` (see openSqlite) and wraps it; the usual way to get a store. */
export async function openSqlitePersistence(path: string): Promise<Persistence> {
  const driver = await openSqlite(path);
  try {
    return createSqlitePersistence(driver);
  } catch (err) {
    driver.close();
    throw err;
  }
}

function num(v: SqlValue | undefined): number {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  throw new TypeError(`expected an integer column, got ${v === null ? "null" : typeof v}`);
}

function str(v: SqlValue | undefined): string {
  if (typeof v === "string") return v;
  throw new TypeError(`expected a text column, got ${v === null ? "null" : typeof v}`);
}
