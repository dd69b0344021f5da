/**
 * Batch validation shared by every Persistence, so that all of them accept and reject exactly the
 * same batches. The memory store relies on it for all-or-nothing (it has no rollback); the SQLite
 * store relies on it because a table constraint would not catch every mistake (an rv reused after
 * its old event was trimmed, a counter moving backwards).
 */
import type { ChangeType, CommitBatch } from "./persistence.ts";
import { InvalidBatchError } from "./store-errors.ts";

const CHANGE_TYPES: ReadonlySet<ChangeType> = new Set(["ADDED", "MODIFIED", "DELETED"]);

/**
 * Throws InvalidBatchError unless: the counter does not go backwards, every event's rv is above the
 * stored counter (so a resourceVersion is never handed out twice, even after trimming), events are
 * strictly ascending and not above the new counter, and every field has the type the log stores.
 */
export function checkCommitBatch(batch: CommitBatch, storedCounter: number): void {
  if (!Number.isSafeInteger(batch.rv)) throw new InvalidBatchError(`counter ${batch.rv} is not an integer`);
  if (batch.rv < storedCounter) {
    throw new InvalidBatchError(`counter ${batch.rv} is below the stored counter ${storedCounter}`);
  }
  let prev = storedCounter;
  batch.events.forEach((e, i) => {
    const at = `event ${i} (rv ${e.rv})`;
    if (!Number.isSafeInteger(e.rv)) throw new InvalidBatchError(`${at}: rv is not an integer`);
    if (e.rv <= prev) {
      throw new InvalidBatchError(
        i === 0
          ? `${at}: rv must be above the stored counter ${storedCounter}`
          : `${at}: rv must be above the previous event's rv ${prev}`,
      );
    }
    if (e.rv > batch.rv) throw new InvalidBatchError(`${at}: rv is above the batch counter ${batch.rv}`);
    if (!CHANGE_TYPES.has(e.type)) throw new InvalidBatchError(`${at}: unknown type ${String(e.type)}`);
    if (typeof e.kind !== "string" || typeof e.namespace !== "string" || typeof e.name !== "string") {
      throw new InvalidBatchError(`${at}: kind, namespace and name must be strings`);
    }
    if (e.object === null || typeof e.object !== "object") throw new InvalidBatchError(`${at}: object is missing`);
    if (!Number.isSafeInteger(e.time)) throw new InvalidBatchError(`${at}: time must be integer ms since the epoch`);
    prev = e.rv;
  });
}
