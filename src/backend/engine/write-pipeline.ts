/**
 * The write pipeline: the one place where netguard objects change.
 *
 * Every write — create, update, status update, delete, Sync batch — runs under one write lock:
 * it validates against the committed state plus the batch's own pending writes, gives each change
 * the next value of the single resourceVersion counter, commits objects, events and counter in one
 * transaction, and only then updates the in-memory index and publishes the events. A failed
 * validation or commit changes nothing; a no-op write emits nothing.
 *
 * Derived data (src/backend/derive/) is part of the same transaction: the derive step records every
 * consequence of the batch's own writes as further events of the same commit, each with its own
 * resourceVersion; in-use protection (in-use-protection.ts) releases what the batch freed.
 *
 * With a store several replicas share (Persistence.shared, PostgreSQL), a write runs inside the
 * store's counter-locked transaction: it first applies and publishes what other replicas committed
 * after this replica's position, then validates against that latest state, so no replica decides
 * on stale data. Between writes each replica tails the shared log (replica-tail.ts). A replica
 * whose position fell below the log's retention floor reloads its state from the store instead
 * (`rebuild`), and dry runs catch up with the log before validating, without the counter lock.
 */
import type { KindDescriptor } from "../../kinds/kind-table.ts";
import type { KubeObject } from "../../kinds/model.ts";
import { EngineError } from "../../domain/mod.ts";
import type { Change } from "../derive/affected-targets.ts";
import type { DeriveSink, DeriveStep } from "../derive/derive-step.ts";
import type { EventStore } from "../event-store/event-store.ts";
import type { Persistence, SharedLog, StoredEvent } from "../store/persistence.ts";
import type { InUseProtection } from "./in-use-protection.ts";
import { createOverlay, type ObjectIndex, type Overlay } from "./object-index.ts";
import { drainSharedLog } from "./replica-tail.ts";
import { yieldToEventLoop } from "./yield-to-event-loop.ts";

/** A write in progress: pending view, events so far, counter. */
export interface Tx {
  overlay: Overlay;
  events: StoredEvent[];
  rv: number;
  now: Date;
}

/** What the pipeline changes, and what the engine reads back from it. */
export interface EngineState {
  readonly kindNames: readonly string[];
  readonly index: ObjectIndex;
  readonly events: EventStore;
  readonly protection: InUseProtection;
  readonly derive: DeriveStep;
  /** Newest committed resourceVersion this replica has applied. */
  rv: number;
  /** Events with rv <= floorRv have left the log. */
  floorRv: number;
  lastWrite: Date;
  /** Times this replica reloaded its state because the log no longer reached back to it. */
  rebuilds: number;
  closed: boolean;
}

export interface WritePipelineOptions {
  persistence: Persistence;
  now: () => Date;
  /** Events of one batch between two yields to the event loop. */
  yieldEvery: number;
}

export interface WritePipeline {
  /** Runs `build` under the write lock and commits what it produced (nothing for a dry run). */
  write<T>(dryRun: boolean, build: (tx: Tx) => T | Promise<T>): Promise<T>;
  /** Runs `fn` after every earlier write or catch-up, so the index and the rings change in rv order. */
  serialize<T>(fn: () => Promise<T>): Promise<T>;
  /** Records one change of the batch: the next resourceVersion, an event, the pending view. */
  record(tx: Tx, kind: KindDescriptor, type: StoredEvent["type"], obj: KubeObject, prevLabels?: Record<string, string>): KubeObject;
  /** The derive step's view of a transaction. */
  deriveSink(tx: Tx): DeriveSink;
  /** Catches up with the shared log under the write lock, without locking the store's counter. */
  drain(log: SharedLog): Promise<void>;
  /** Applies what the replica tail read (events after this replica's position, the log's floor). */
  applyTail(committed: StoredEvent[], floor: number): void;
  /** Reloads the state from the store (a replica below the log's floor). */
  rebuild(): Promise<void>;
  /** Resolves when the last write or catch-up has ended. */
  idle(): Promise<void>;
}

/** The pipeline over `state`; the engine owns the state, the pipeline is what changes it. */
export function createWritePipeline(state: EngineState, opts: WritePipelineOptions): WritePipeline {
  const { index, events, protection, derive } = state;
  const shared = opts.persistence.shared;
  let lock: Promise<unknown> = Promise.resolve();

  function deriveSink(tx: Tx): DeriveSink {
    return {
      state: tx.overlay,
      now: tx.now,
      newUid: () => crypto.randomUUID(),
      write: (kind, type, obj, prevLabels) => void record(tx, kind, type, obj, prevLabels),
    };
  }

  /** Records the derived consequences of the batch's own writes (everything in tx.events so far). */
  function propagate(tx: Tx): void {
    const changes: Change[] = [];
    const seen = new Set<string>();
    for (const ev of tx.events) {
      const key = `${ev.namespace}/${ev.name}`;
      if (seen.has(`${ev.kind} ${key}`)) continue;
      seen.add(`${ev.kind} ${key}`);
      changes.push({ kind: ev.kind, key, before: index.get(ev.kind, ev.namespace, ev.name), after: tx.overlay.get(ev.kind, ev.namespace, ev.name) });
    }
    derive.propagate(changes, index, deriveSink(tx));
  }

  function serialize<T>(fn: () => Promise<T>): Promise<T> {
    const p = lock.then(fn, fn);
    lock = p.catch(() => undefined);
    return p;
  }

  /**
   * Applies events another replica committed (rv above this replica's position) to the index and
   * publishes them, exactly as if they had been written here. Runs under the write lock.
   */
  function applyCommitted(committed: readonly StoredEvent[]): void {
    const fresh = committed.filter((ev) => ev.rv > state.rv);
    if (fresh.length === 0) return;
    for (const ev of fresh) {
      if (ev.type === "DELETED") index.remove(ev.kind, ev.namespace, ev.name);
      else index.set(ev.kind, ev.object);
    }
    protection.track(fresh);
    state.rv = fresh[fresh.length - 1]!.rv;
    events.publish(fresh);
  }

  /**
   * Replaces the in-memory state with the store's current objects: for a replica whose position
   * fell below the log's retention floor, so the events it missed can no longer be replayed. The
   * rings restart at the reloaded resourceVersion; a watcher whose position is still at or above
   * the floor continues from the log, one below it ends with "expired" (410) and relists — as a
   * lapped watcher does. Synthesising the differences as events instead would hand watchers
   * resourceVersions no other replica's log has, so a watcher that resumed elsewhere could see a
   * change twice or miss one; expiring keeps every delivered event exactly once. Runs under the
   * write lock; `expectRv`, when given, is the counter the caller holds locked.
   */
  async function rebuild(expectRv?: number): Promise<void> {
    const loaded = await opts.persistence.load();
    if (expectRv !== undefined && loaded.rv !== expectRv) {
      throw new Error(`store reloaded at resourceVersion ${loaded.rv}, expected ${expectRv}; retry`);
    }
    const byKind = new Map<string, Map<string, KubeObject>>(state.kindNames.map((k) => [k, new Map()]));
    for (const { kind, object } of loaded.objects) byKind.get(kind)?.set(`${object.metadata.namespace}/${object.metadata.name}`, object);
    const changes: StoredEvent[] = [];
    for (const kind of state.kindNames) {
      const fresh = byKind.get(kind)!;
      for (const old of [...index.list(kind)]) {
        if (fresh.has(`${old.metadata.namespace}/${old.metadata.name}`)) continue;
        index.remove(kind, old.metadata.namespace, old.metadata.name);
        changes.push({ rv: loaded.rv, kind, type: "DELETED", namespace: old.metadata.namespace, name: old.metadata.name, object: old, time: 0 });
      }
      for (const object of fresh.values()) {
        index.set(kind, object);
        changes.push({ rv: loaded.rv, kind, type: "ADDED", namespace: object.metadata.namespace, name: object.metadata.name, object, time: 0 });
      }
    }
    protection.track(changes);
    state.floorRv = Math.max(state.floorRv, loaded.floorRv);
    state.rv = loaded.rv;
    events.reset(state.rv);
    state.rebuilds++;
  }

  function drain(log: SharedLog): Promise<void> {
    return drainSharedLog({ log, position: () => state.rv, apply: applyTail, rebuild: () => rebuild() });
  }

  function applyTail(committed: StoredEvent[], floor: number): void {
    state.floorRv = Math.max(state.floorRv, floor);
    applyCommitted(committed);
  }

  /** Builds a batch on the state as of now: the write itself, in-use releases, derived changes. */
  async function buildTx<T>(build: (tx: Tx) => T | Promise<T>): Promise<{ tx: Tx; result: T }> {
    const tx: Tx = { overlay: createOverlay(index), events: [], rv: state.rv, now: opts.now() };
    const result = await build(tx);
    const large = tx.events.length > opts.yieldEvery;
    if (large) await yieldToEventLoop();
    protection.release(deriveSink(tx), tx.events);
    propagate(tx);
    if (large) await yieldToEventLoop();
    return { tx, result };
  }

  /** After the commit: the index, in-use tracking and the counter follow, then watchers hear. */
  function applyOwn(tx: Tx): void {
    for (const ev of tx.events) {
      if (ev.type === "DELETED") index.remove(ev.kind, ev.namespace, ev.name);
      else index.set(ev.kind, ev.object);
    }
    protection.track(tx.events);
    state.rv = tx.rv;
    state.lastWrite = tx.now;
    events.publish(tx.events);
  }

  /**
   * Runs `build` under the write lock and commits what it produced. A large transaction (more
   * than `yieldEvery` events) yields between its phases; the batch's state lives only in `tx`
   * until the commit, so whatever runs meanwhile (reads, watch deliveries, health checks) sees the
   * committed state, and other writes wait for the lock.
   */
  function write<T>(dryRun: boolean, build: (tx: Tx) => T | Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      if (state.closed) throw new EngineError("BadRequest", "store is closed");
      if (shared && !dryRun) return writeShared(shared, build);
      // A dry run validates against caught-up state too; it commits nothing, so no counter lock.
      if (shared) await drain(shared);
      const { tx, result } = await buildTx(build);
      if (dryRun) {
        // Nothing is stored, so no version is consumed: a dry-run create answers without one and
        // a dry-run update or delete with the stored object's (as Kubernetes does).
        for (const ev of tx.events) {
          const stored = index.get(ev.kind, ev.namespace, ev.name)?.metadata.resourceVersion;
          if (stored) ev.object.metadata.resourceVersion = stored;
          else delete ev.object.metadata.resourceVersion;
        }
        return result;
      }
      if (tx.events.length === 0) return result;
      await opts.persistence.commit({ rv: tx.rv, events: tx.events });
      applyOwn(tx);
      return result;
    };
    return serialize(run);
  }

  /**
   * The multi-replica write: inside the store's counter-locked transaction, catch up with what the
   * other replicas committed, then validate and number the batch from the locked counter.
   */
  async function writeShared<T>(log: SharedLog, build: (tx: Tx) => T | Promise<T>): Promise<T> {
    let built: { tx: Tx; result: T } | undefined;
    await log.transact(state.rv, async (caughtUp) => {
      // Events this replica missed were trimmed: reload (the counter is locked, so nothing moves).
      if (caughtUp.floorRv > state.rv) await rebuild(caughtUp.rv);
      applyCommitted(caughtUp.events);
      state.floorRv = Math.max(state.floorRv, caughtUp.floorRv);
      built = await buildTx(build);
      const { tx } = built;
      return tx.events.length ? { rv: tx.rv, events: tx.events } : undefined;
    });
    const { tx, result } = built!;
    if (tx.events.length) applyOwn(tx);
    return result;
  }

  function record(tx: Tx, kind: KindDescriptor, type: StoredEvent["type"], obj: KubeObject, prevLabels?: Record<string, string>): KubeObject {
    tx.rv += 1;
    obj.metadata.resourceVersion = String(tx.rv);
    const ev: StoredEvent = {
      rv: tx.rv,
      kind: kind.kind,
      type,
      namespace: obj.metadata.namespace,
      name: obj.metadata.name,
      object: obj,
      time: tx.now.getTime(),
    };
    if (type === "MODIFIED") ev.prevLabels = prevLabels ?? {};
    tx.events.push(ev);
    if (type === "DELETED") tx.overlay.drop(kind.kind, obj.metadata.namespace, obj.metadata.name);
    else tx.overlay.put(kind.kind, obj);
    return obj;
  }

  return {
    write,
    serialize,
    record,
    deriveSink,
    drain,
    applyTail,
    rebuild: () => rebuild(),
    idle: () => lock.then(() => undefined, () => undefined),
  };
}
