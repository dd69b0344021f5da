/**
 * The PostgreSQL Persistence: the store several backend replicas share. Objects, events and the
 * counter change in one transaction; the counter row is locked (SELECT … FOR UPDATE) from the
 * start of a write to its commit, so resourceVersions are handed out in commit order across
 * replicas. A plain sequence would not do: two writers could take 7 and 8 and commit 8 first, and
 * a reader that saw 8 would skip 7 for ever (the hazard kine documents).
 */
import { eventFromRow } from "./event-row.ts";
import type { KubeObject } from "../../kinds/model.ts";
import type { PgDriver, PgQueryable, PgRow } from "../../runtime/postgres-driver.ts";
import { checkCommitBatch } from "./commit-check.ts";
import type { CatchUp, CommitBatch, LoadedState, Persistence, RetentionPolicy, SharedLog, StoredEvent } from "./persistence.ts";
import { createUnavailableGuard } from "./postgres-errors.ts";
import { migrate } from "./postgres-schema.ts";
import { batchRows, WRITE_BATCH_SQL } from "./postgres-write-batch.ts";
import { retentionCut } from "./retention.ts";
import { PersistenceClosedError } from "./store-errors.ts";

/** The NOTIFY channel every commit signals (payload: the new counter). */
export const COMMIT_CHANNEL = "netguard_commits";

const EVENT_COLUMNS = "rv, kind, type, namespace, name, body, prev_labels, time";

export interface PostgresPersistenceOptions {
  /** Where "PostgreSQL unavailable" is reported (once per outage); default console.error. */
  log?: (message: string) => void;
}

/**
 * Takes ownership of `db` (close() closes it). Migrates the schema first, so a database that
 * cannot be reached or is of a newer schema fails here rather than on the first write.
 */
export async function createPostgresPersistence(db: PgDriver, opts: PostgresPersistenceOptions = {}): Promise<Persistence> {
  await migrate(db);
  const guard = createUnavailableGuard("store", opts.log ?? ((m) => console.error(m)));
  let closed = false;
  const live = (): void => {
    if (closed) throw new PersistenceClosedError();
  };
  const run = async <T>(op: () => Promise<T>): Promise<T> => {
    live();
    return guard(op);
  };

  async function lockCounter(tx: PgQueryable): Promise<{ rv: number; floor: number }> {
    const [row] = await tx.query("SELECT rv, floor FROM counter WHERE id = 1 FOR UPDATE");
    return { rv: Number(row!.rv), floor: Number(row!.floor) };
  }

  async function writeBatch(tx: PgQueryable, batch: CommitBatch, counter: number): Promise<void> {
    checkCommitBatch(batch, counter);
    if (batch.events.length === 0) {
      await tx.query("UPDATE counter SET rv = $1 WHERE id = 1", [batch.rv]);
      return;
    }
    const rows = batchRows(batch.events);
    // One round trip for the whole batch, whatever its size; the NOTIFY is delivered at commit
    // only, so a replica woken by it finds the events committed.
    await tx.query(WRITE_BATCH_SQL, [rows.deletes, rows.upserts, rows.events, batch.rv, COMMIT_CHANNEL, String(batch.rv)]);
  }

  const shared: SharedLog = {
    transact: (localRv, build) =>
      run(() =>
        db.transaction(async (tx) => {
          const counter = await lockCounter(tx);
          const rows = counter.rv > localRv
            ? await tx.query(`SELECT ${EVENT_COLUMNS} FROM events WHERE rv > $1 ORDER BY rv`, [localRv])
            : [];
          const caughtUp: CatchUp = { events: rows.map(toEvent), rv: counter.rv, floorRv: counter.floor };
          const batch = await build(caughtUp);
          if (batch && batch.events.length) await writeBatch(tx, batch, counter.rv);
        }),
      ),
    tail: (afterRv, limit) =>
      run(async () => {
        if (limit <= 0) return { events: [], floorRv: await readFloor(db) };
        // One statement, one snapshot: the floor and the events agree.
        const rows = await db.query(
          `SELECT ${EVENT_COLUMNS}, (SELECT floor FROM counter WHERE id = 1) AS floor_rv FROM events WHERE rv > $1 ORDER BY rv LIMIT $2`,
          [afterRv, limit],
        );
        return { events: rows.map(toEvent), floorRv: rows.length ? Number(rows[0]!.floor_rv) : await readFloor(db) };
      }),
    onCommit: (wake) => run(() => db.listen(COMMIT_CHANNEL, () => wake())),
  };

  return {
    shared,
    outage: guard.outage,
    load: () =>
      run(() =>
        db.transaction(async (tx) => {
          await tx.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
          const objects = await tx.query('SELECT kind, body FROM objects ORDER BY kind COLLATE "C", namespace COLLATE "C", name COLLATE "C"');
          const [c] = await tx.query("SELECT rv, floor FROM counter WHERE id = 1");
          return {
            objects: objects.map((r) => ({ kind: String(r.kind), object: JSON.parse(String(r.body)) as KubeObject })),
            rv: Number(c!.rv),
            floorRv: Number(c!.floor),
          } satisfies LoadedState;
        }),
      ),
    commit: (batch) =>
      run(() =>
        db.transaction(async (tx) => {
          const counter = await lockCounter(tx);
          await writeBatch(tx, batch, counter.rv);
        }),
      ),
    readEvents: (kind, afterRv, limit) =>
      run(async () => {
        if (limit <= 0) return [];
        const rows = await db.query(`SELECT ${EVENT_COLUMNS} FROM events WHERE kind = $1 AND rv > $2 ORDER BY rv LIMIT $3`, [kind, afterRv, limit]);
        return rows.map(toEvent);
      }),
    trim: (policy: RetentionPolicy, nowMs: number) =>
      run(() =>
        db.transaction(async (tx) => {
          const { floor } = await lockCounter(tx);
          const opt = async (sql: string, params: number[]): Promise<number | undefined> => {
            const [r] = await tx.query(sql, params);
            return r === undefined || r.rv === null || r.rv === undefined ? undefined : Number(r.rv);
          };
          // retentionCut asks synchronously; the few answers it can need are fetched first.
          const withNewer = policy.maxEvents > 0
            ? await opt("SELECT rv FROM events ORDER BY rv DESC LIMIT 1 OFFSET $1", [policy.maxEvents])
            : undefined;
          let firstYoung: number | undefined;
          let lastOld: number | undefined;
          if (policy.maxAgeMs > 0) {
            firstYoung = await opt("SELECT MIN(rv) AS rv FROM events WHERE time >= $1", [nowMs - policy.maxAgeMs]);
            lastOld = firstYoung === undefined
              ? await opt("SELECT MAX(rv) AS rv FROM events", [])
              : await opt("SELECT MAX(rv) AS rv FROM events WHERE rv < $1", [firstYoung]);
          }
          const cut = retentionCut(policy, nowMs, {
            rvWithNewer: () => withNewer,
            firstRvAtOrAfter: () => firstYoung,
            lastRvBelow: () => lastOld,
            lastRv: () => lastOld,
          });
          if (cut <= floor) return floor;
          await tx.query("DELETE FROM events WHERE rv <= $1", [cut]);
          await tx.query("UPDATE counter SET floor = $1 WHERE id = 1", [cut]);
          return cut;
        }),
      ),
    eventCount: () =>
      run(async () => {
        const [r] = await db.query("SELECT COUNT(*) AS n FROM events");
        return Number(r!.n);
      }),
    async close() {
      if (closed) return;
      closed = true;
      await db.close();
    },
  };
}

async function readFloor(db: PgQueryable): Promise<number> {
  const [r] = await db.query("SELECT floor FROM counter WHERE id = 1");
  return Number(r!.floor);
}

const toEvent = (r: PgRow): StoredEvent => eventFromRow(r as Record<string, unknown>);

/** Opens the database at `url` (postgres://…) with the default deadlines, and migrates it. */
export async function openPostgresPersistence(url: string, opts: PostgresPersistenceOptions = {}): Promise<Persistence> {
  const { openPostgres } = await import("../../runtime/postgres-driver.ts");
  const db = await openPostgres(url);
  try {
    return await createPostgresPersistence(db, opts);
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
}
