/**
 * The durable side of the store: current objects, the event log and the single resourceVersion
 * counter. The engine decides what changes; a Persistence writes a whole batch — objects, events,
 * counter — in one transaction, or nothing. Implementations: memory (tests), SQLite (embedded
 * default), PostgreSQL (shared by several backend replicas; see SharedLog).
 */
import type { KubeObject } from "../../kinds/model.ts";
import type { ChangeType } from "../../watch-log/mod.ts";

export type { ChangeType };

/** One committed change of one object. `rv` is the object's new resourceVersion. */
export interface StoredEvent {
  rv: number;
  kind: string;
  type: ChangeType;
  namespace: string;
  name: string;
  /** The object after the change; for DELETED its last state (with the delete's resourceVersion). */
  object: KubeObject;
  /** Labels before the change (MODIFIED only), so label-filtered watchers see objects leave. */
  prevLabels?: Record<string, string>;
  /** Commit time, ms since the epoch. */
  time: number;
}

/** Everything one transaction writes. Events are in ascending rv; `rv` is the counter afterwards. */
export interface CommitBatch {
  rv: number;
  events: StoredEvent[];
}

export interface LoadedState {
  objects: { kind: string; object: KubeObject }[];
  /** The counter: the newest resourceVersion ever handed out (0 for a new store). */
  rv: number;
  /** Events with rv <= floorRv are no longer in the log (trimmed by retention). */
  floorRv: number;
}

export interface RetentionPolicy {
  /** Keep at most this many events (0 = unlimited). */
  maxEvents: number;
  /** Drop events older than this many ms (0 = unlimited). */
  maxAgeMs: number;
}

export interface Persistence {
  /** Reads current objects, counter and floor. Called once at start. */
  load(): Promise<LoadedState>;
  /**
   * Applies a batch atomically: for each event, upserts (ADDED/MODIFIED) or removes (DELETED) the
   * object row, appends the event to the log, and stores the counter.
   */
  commit(batch: CommitBatch): Promise<void>;
  /** Events of one kind with rv > afterRv, ascending, at most `limit`. */
  readEvents(kind: string, afterRv: number, limit: number): Promise<StoredEvent[]>;
  /** Applies retention; returns the new floor (events with rv <= floor are gone). */
  trim(policy: RetentionPolicy, nowMs: number): Promise<number>;
  /** Number of events in the log (for metrics and tests). */
  eventCount(): Promise<number>;
  close(): Promise<void>;
  /**
   * Present only on a store several backend replicas write at once (PostgreSQL). Single-process
   * stores leave it out, and the engine then keeps its single-writer path unchanged.
   */
  shared?: SharedLog;
  /**
   * Why the store cannot be reached right now (PostgreSQL: set by a failed call, cleared by the next
   * call that succeeds; the replica tail calls every second), or undefined. The backend's /readyz
   * reports it. Stores that cannot go away leave it out.
   */
  outage?(): string | undefined;
}

/** What other replicas committed after a replica's position, read under the counter lock. */
export interface CatchUp {
  /** Events of every kind with rv > the caller's position, ascending. */
  events: StoredEvent[];
  /** The locked counter: the batch the caller returns must use rvs above it. */
  rv: number;
  floorRv: number;
}

/**
 * The multi-writer side of a shared store. Writers serialise on the counter, which is locked for
 * the whole transaction, so commit order equals resourceVersion order on every replica and a
 * reader never sees rv N+1 committed while N is still in flight.
 */
export interface SharedLog {
  /**
   * Locks the counter, reads what others committed after `localRv`, hands it to `build`, and
   * commits the batch `build` returns (nothing when it returns undefined or throws) in the same
   * transaction. The caller validates against its state after applying the CatchUp events.
   */
  transact(localRv: number, build: (caughtUp: CatchUp) => Promise<CommitBatch | undefined>): Promise<void>;
  /** Committed events of every kind with rv > afterRv, ascending, at most `limit`, and the floor. */
  tail(afterRv: number, limit: number): Promise<{ events: StoredEvent[]; floorRv: number }>;
  /**
   * Calls `wake` soon after any replica commits (a hint: notifications can be lost, so callers
   * also poll). Resolves once subscribed; the returned function unsubscribes.
   */
  onCommit(wake: () => void): Promise<() => Promise<void>>;
}
