/** Errors every Persistence throws the same way, so callers can tell them apart from I/O failures. */

/** A batch that breaks the store's invariants; nothing of it was written. */
export class InvalidBatchError extends Error {
  override name = "InvalidBatchError";
}

/** A call after close(): a bug in shutdown ordering, not a transient failure worth retrying. */
export class PersistenceClosedError extends Error {
  override name = "PersistenceClosedError";
  constructor() {
    super("persistence is closed");
  }
}

/** The store cannot be reached or did not answer in time; nothing was written, a retry may succeed. */
export class StoreUnavailableError extends Error {
  override name = "StoreUnavailableError";
}
