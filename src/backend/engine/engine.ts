/**
 * The engine: the one place where netguard objects change.
 *
 * Every write — create, update, status update, delete, Sync batch — runs under one write lock:
 * it validates against the committed state plus the batch's own pending writes, gives each change
 * the next value of the single resourceVersion counter, commits objects, events and counter in one
 * transaction, and only then updates the in-memory index and publishes the events. A failed
 * validation or commit changes nothing; a no-op write emits nothing.
 *
 * Derived data (port mappings, aggregated groups, generated rules, conditions; src/backend/derive/)
 * is part of the same transaction: a written object carries its own derived fields in its own
 * event, and the derive step then records every consequence for other objects as further events
 * of the same commit, each with its own resourceVersion.
 *
 * Deletes through the Delete RPC use in-use protection (in-use-protection.ts): an object still in
 * use becomes Terminating instead of being refused, and goes in the same commit as its last use.
 * Upstream's Sync Delete keeps refusing such deletes.
 *
 * With a store several replicas share (Persistence.shared, PostgreSQL), a write runs inside the
 * store's counter-locked transaction: it first applies and publishes what other replicas committed
 * after this replica's position, then validates against that latest state, so no replica decides
 * on stale data. Between writes each replica tails the shared log (replica-tail.ts), so watchers on
 * every replica see the same events in the same order. A replica whose position fell below the
 * log's retention floor reloads its state from the store instead (see `rebuild`), and dry runs
 * catch up with the log before validating, without taking the store's counter lock.
 */
import type { KindDescriptor } from "../../kinds/kind-table.ts";
import { KINDS } from "../../kinds/kind-table.ts";
import { filterAccepts, type ObjectFilter } from "../../kinds/selectors.ts";
import type { KubeObject } from "../../kinds/model.ts";
import { deleteBlockers, deleteRefusals, validateObject, validateWrite } from "../../kinds/validation/index.ts";
import { finalizersOf } from "../../kinds/finalizers.ts";
import { createEventStore, type Cursor, type EventStore } from "../event-store/event-store.ts";
import type { Persistence, RetentionPolicy, SharedLog, StoredEvent } from "../store/persistence.ts";
import { EngineError, invalid } from "../../domain/mod.ts";
import { createObjectIndex, createOverlay, type ObjectIndex, type Overlay } from "./object-index.ts";
import { generateSuffix, prepareCreate, prepareStatus, prepareUpdate, sameObject } from "./object-metadata.ts";
import type { Change } from "../derive/affected-targets.ts";
import { createDeriveStep, type DeriveSink } from "../derive/derive-step.ts";
import { createInUseProtection, dueForRemoval, markForDeletion } from "./in-use-protection.ts";
import { yieldToEventLoop } from "./yield-to-event-loop.ts";
import { drainSharedLog, startReplicaTail, type ReplicaTail } from "./replica-tail.ts";
import type { Preconditions } from "../../wire/preconditions.ts";

export interface EngineOptions {
  persistence: Persistence;
  retention: RetentionPolicy;
  ringCapacity: number;
  /** How often retention runs (ms); 0 disables the timer (tests call trimNow). */
  trimIntervalMs?: number;
  now?: () => Date;
  /** Told when the start-up reconcile of derived objects fails (default: console.warn). */
  onWarning?: (message: string) => void;
  /**
   * A Sync batch hands the event loop back after every this many items, and between its phases
   * (default {@link DEFAULT_YIELD_EVERY}), so health checks and watches are served while a large
   * batch is validated; nothing of the batch is visible before its single commit.
   */
  yieldEvery?: number;
  /**
   * With a store shared by several replicas (Persistence.shared): how often (ms) this replica
   * reads what the others committed, besides being woken by their notifications (default 1000;
   * the poll covers notifications lost with a connection).
   */
  tailIntervalMs?: number;
}

/** Items of a Sync batch between two yields to the event loop (see EngineOptions.yieldEvery). */
export const DEFAULT_YIELD_EVERY = 256;

export interface WriteOptions {
  dryRun?: boolean;
}

export type { Preconditions };

export type SyncOperation = "upsert" | "delete" | "fullsync";

export interface ListRequest {
  /** [namespace, name] pairs; name "" selects a namespace; empty list selects everything. */
  identifiers?: { namespace: string; name: string }[];
  filter?: ObjectFilter;
  limit?: number;
  continueToken?: string;
}

export interface ListResult {
  items: KubeObject[];
  resourceVersion: number;
  continueToken: string;
}

export interface Snapshot {
  items: KubeObject[];
  rv: number;
  cursor: Cursor;
}

export interface Engine {
  readonly events: EventStore;
  readonly index: ObjectIndex;
  /** Newest committed resourceVersion. */
  readonly currentRv: number;
  /** Events with rv <= floorRv have left the log. */
  readonly floorRv: number;
  readonly lastWrite: Date;
  /** Times this replica reloaded its state because the log no longer reached back to it. */
  readonly rebuilds: number;
  /**
   * Brings this replica up to what any replica has committed, before a read answers: a client that
   * wrote through replica A and then reads, lists or watches through replica B must see its write
   * (etcd's quorum read; kube-apiserver's consistent reads). One log query when the store is shared;
   * nothing to do for a store of its own.
   */
  catchUp(): Promise<void>;
  create(kind: KindDescriptor, obj: KubeObject, o?: WriteOptions): Promise<KubeObject>;
  update(kind: KindDescriptor, obj: KubeObject, o?: WriteOptions): Promise<KubeObject>;
  updateStatus(kind: KindDescriptor, obj: KubeObject, o?: WriteOptions): Promise<KubeObject>;
  delete(kind: KindDescriptor, namespace: string, name: string, pre?: Preconditions, o?: WriteOptions): Promise<KubeObject>;
  sync(kind: KindDescriptor, op: SyncOperation, objs: KubeObject[]): Promise<void>;
  get(kind: KindDescriptor, namespace: string, name: string): KubeObject | undefined;
  list(kind: KindDescriptor, req: ListRequest): ListResult;
  /** Current matching objects and a cursor positioned exactly after them (no gap, no overlap). */
  snapshot(kind: KindDescriptor, filter: ObjectFilter): Snapshot;
  trimNow(): Promise<number>;
  close(): Promise<void>;
}

/** A write in progress: pending view, events so far, counter. */
interface Tx {
  overlay: Overlay;
  events: StoredEvent[];
  rv: number;
  now: Date;
}

/** Continue tokens carry the last returned (namespace, name); the next page starts after it. */
function encodeContinue(o: KubeObject): string {
  return btoa(JSON.stringify({ ns: o.metadata.namespace, n: o.metadata.name })).replace(/=+$/, "");
}

function decodeContinue(token: string): [string, string] {
  try {
    const v = JSON.parse(atob(token)) as { ns?: unknown; n?: unknown };
    if (typeof v.ns === "string" && typeof v.n === "string") return [v.ns, v.n];
  } catch {
    // fall through
  }
  throw new EngineError("BadRequest", `invalid continue token "${token}"`);
}

function isAfter(o: KubeObject, pos: [string, string]): boolean {
  const { namespace, name } = o.metadata;
  return namespace > pos[0] || (namespace === pos[0] && name > pos[1]);
}

export async function createEngine(opts: EngineOptions): Promise<Engine> {
  const now = opts.now ?? (() => new Date());
  const kindNames = KINDS.map((k) => k.kind);
  const loaded = await opts.persistence.load();
  const index = createObjectIndex(kindNames);
  const protection = createInUseProtection();
  for (const { kind, object } of loaded.objects) index.set(kind, object);
  protection.track(loaded.objects.map(({ kind, object }) => ({ kind, type: "ADDED" as const, object })));
  let rv = loaded.rv;
  let floorRv = loaded.floorRv;
  let lastWrite = new Date();
  const events = createEventStore({
    kinds: kindNames,
    ringCapacity: opts.ringCapacity,
    startRv: rv,
    persistence: opts.persistence,
    floorRv: () => floorRv,
  });

  let lock: Promise<unknown> = Promise.resolve();
  let closed = false;
  const shared = opts.persistence.shared;
  const derive = createDeriveStep();

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

  const yieldEvery = Math.max(1, opts.yieldEvery ?? DEFAULT_YIELD_EVERY);

  /** Runs `fn` after every earlier write or catch-up, so the index and the rings change in rv order. */
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
    const fresh = committed.filter((ev) => ev.rv > rv);
    if (fresh.length === 0) return;
    for (const ev of fresh) {
      if (ev.type === "DELETED") index.remove(ev.kind, ev.namespace, ev.name);
      else index.set(ev.kind, ev.object);
    }
    protection.track(fresh);
    rv = fresh[fresh.length - 1]!.rv;
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
  let rebuilds = 0;
  async function rebuild(expectRv?: number): Promise<void> {
    const state = await opts.persistence.load();
    if (expectRv !== undefined && state.rv !== expectRv) {
      throw new Error(`store reloaded at resourceVersion ${state.rv}, expected ${expectRv}; retry`);
    }
    const loaded = new Map<string, Map<string, KubeObject>>(kindNames.map((k) => [k, new Map()]));
    for (const { kind, object } of state.objects) loaded.get(kind)?.set(`${object.metadata.namespace}/${object.metadata.name}`, object);
    const changes: StoredEvent[] = [];
    for (const kind of kindNames) {
      const fresh = loaded.get(kind)!;
      for (const old of [...index.list(kind)]) {
        if (fresh.has(`${old.metadata.namespace}/${old.metadata.name}`)) continue;
        index.remove(kind, old.metadata.namespace, old.metadata.name);
        changes.push({ rv: state.rv, kind, type: "DELETED", namespace: old.metadata.namespace, name: old.metadata.name, object: old, time: 0 });
      }
      for (const object of fresh.values()) {
        index.set(kind, object);
        changes.push({ rv: state.rv, kind, type: "ADDED", namespace: object.metadata.namespace, name: object.metadata.name, object, time: 0 });
      }
    }
    protection.track(changes);
    floorRv = Math.max(floorRv, state.floorRv);
    rv = state.rv;
    events.reset(rv);
    rebuilds++;
  }

  /** Catches up with the shared log under the write lock, without locking the store's counter. */
  function drain(log: SharedLog): Promise<void> {
    return drainSharedLog({ log, position: () => rv, apply: applyTail, rebuild: () => rebuild() });
  }

  function applyTail(committed: StoredEvent[], floor: number): void {
    floorRv = Math.max(floorRv, floor);
    applyCommitted(committed);
  }

  /** Builds a batch on the state as of now: the write itself, in-use releases, derived changes. */
  async function buildTx<T>(build: (tx: Tx) => T | Promise<T>): Promise<{ tx: Tx; result: T }> {
    const tx: Tx = { overlay: createOverlay(index), events: [], rv, now: now() };
    const result = await build(tx);
    const large = tx.events.length > yieldEvery;
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
    rv = tx.rv;
    lastWrite = tx.now;
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
      if (closed) throw new EngineError("BadRequest", "store is closed");
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
    await log.transact(rv, async (caughtUp) => {
      // Events this replica missed were trimmed: reload (the counter is locked, so nothing moves).
      if (caughtUp.floorRv > rv) await rebuild(caughtUp.rv);
      applyCommitted(caughtUp.events);
      floorRv = Math.max(floorRv, caughtUp.floorRv);
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

  function checkValid(kind: KindDescriptor, obj: KubeObject, old: KubeObject | undefined, tx: Tx): void {
    const v = validateObject(kind, obj);
    if (v.length === 0) v.push(...validateWrite(kind, obj, old, tx.overlay));
    if (v.length) throw invalid(kind.kind, obj.metadata.name || obj.metadata.generateName || "", v);
  }

  function checkPreconditions(kind: KindDescriptor, old: KubeObject, pre: Preconditions): void {
    if (pre.uid && pre.uid !== old.metadata.uid) {
      throw new EngineError(
        "PreconditionFailed",
        `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${old.metadata.uid}`,
      );
    }
    if (pre.resourceVersion && pre.resourceVersion !== old.metadata.resourceVersion) {
      throw new EngineError(
        "Conflict",
        `Operation cannot be fulfilled on ${kind.plural}.netguard.sgroups.io "${old.metadata.name}": the object has been modified; please apply your changes to the latest version and try again`,
      );
    }
  }

  function doCreate(tx: Tx, kind: KindDescriptor, input: KubeObject): KubeObject {
    const ns = input.metadata?.namespace ?? "";
    let name = input.metadata?.name ?? "";
    if (!name && input.metadata?.generateName) {
      for (let i = 0; i < 8 && (!name || tx.overlay.get(kind.kind, ns, name)); i++) {
        name = input.metadata.generateName + generateSuffix();
      }
    }
    if (name && tx.overlay.get(kind.kind, ns, name)) {
      throw new EngineError("AlreadyExists", `${kind.plural}.netguard.sgroups.io "${name}" already exists`);
    }
    const obj = prepareCreate(kind, input, tx.now, name);
    checkValid(kind, obj, undefined, tx);
    return record(tx, kind, "ADDED", derive.withDerivedFields(kind, obj, undefined, tx.overlay, tx.now));
  }

  function doUpdate(tx: Tx, kind: KindDescriptor, input: KubeObject, old: KubeObject, checkRv: boolean): KubeObject {
    if (checkRv) checkPreconditions(kind, old, { resourceVersion: input.metadata.resourceVersion, uid: input.metadata.uid });
    const prepared = prepareUpdate(kind, input, old);
    checkValid(kind, prepared, old, tx);
    const obj = derive.withDerivedFields(kind, prepared, old, tx.overlay, tx.now);
    if (sameObject(obj, old)) return old;
    if (dueForRemoval(kind, obj, tx.overlay)) return record(tx, kind, "DELETED", obj);
    return record(tx, kind, "MODIFIED", obj, old.metadata.labels);
  }

  /**
   * The Delete RPC: an object nothing uses and without finalizers goes at once; otherwise it is
   * marked Terminating (in-use-protection.ts). Only a kind's refusals (server-managed objects) fail.
   */
  function doProtectedDelete(tx: Tx, kind: KindDescriptor, old: KubeObject): KubeObject {
    const refusals = deleteRefusals(kind, old, tx.overlay);
    if (refusals.length) {
      throw new EngineError("DeleteBlocked", `cannot delete ${kind.kind} "${old.metadata.namespace}/${old.metadata.name}": ${refusals.join("; ")}`);
    }
    const marked = markForDeletion(kind, old, tx.overlay, tx.now);
    if (!marked) return record(tx, kind, "DELETED", structuredClone(old));
    const obj = derive.withDerivedFields(kind, marked, old, tx.overlay, tx.now);
    if (sameObject(obj, old)) return old;
    return record(tx, kind, "MODIFIED", obj, old.metadata.labels);
  }

  /** Upstream's Sync Delete: refused (FailedPrecondition) while anything blocks it. */
  function doDelete(tx: Tx, kind: KindDescriptor, old: KubeObject): KubeObject {
    const blockers = deleteBlockers(kind, old, tx.overlay);
    if (blockers.length) {
      throw new EngineError(
        "DeleteBlocked",
        `cannot delete ${kind.kind} "${old.metadata.namespace}/${old.metadata.name}": ${blockers.join("; ")}`,
      );
    }
    const last = structuredClone(old);
    return record(tx, kind, "DELETED", last);
  }

  /** Upstream's Sync clients know no finalizers: an Upsert without any keeps the stored ones. */
  function withStoredFinalizers(input: KubeObject, old: KubeObject): KubeObject {
    if (finalizersOf(input).length > 0 || finalizersOf(old).length === 0) return input;
    return { ...input, metadata: { ...input.metadata, finalizers: finalizersOf(old) } };
  }

  function mustGet(tx: Tx, kind: KindDescriptor, ns: string, name: string): KubeObject {
    const old = tx.overlay.get(kind.kind, ns, name);
    if (!old) throw new EngineError("NotFound", `${kind.plural}.netguard.sgroups.io "${name}" not found`);
    return old;
  }

  let trimTimer: ReturnType<typeof setInterval> | undefined;
  async function trimNow(): Promise<number> {
    floorRv = Math.max(floorRv, await opts.persistence.trim(opts.retention, Date.now()));
    return floorRv;
  }
  // Derived data written by an older version (or missing) is brought up to date in one commit.
  await write(false, (tx) => derive.reconcile(deriveSink(tx))).catch((e: unknown) => {
    (opts.onWarning ?? console.warn)(`derived objects could not be reconciled at start: ${e instanceof Error ? e.message : String(e)}`);
  });
  let tail: ReplicaTail | undefined;
  if (shared) {
    tail = await startReplicaTail({
      log: shared,
      intervalMs: opts.tailIntervalMs ?? 1000,
      position: () => rv,
      serialize,
      apply: applyTail,
      rebuild: () => rebuild(),
    });
  }
  if (opts.trimIntervalMs && opts.trimIntervalMs > 0) {
    trimTimer = setInterval(() => void trimNow().catch(() => undefined), opts.trimIntervalMs);
    (trimTimer as { unref?: () => void }).unref?.();
  }

  return {
    events,
    index,
    get currentRv() {
      return rv;
    },
    get floorRv() {
      return floorRv;
    },
    get lastWrite() {
      return lastWrite;
    },
    get rebuilds() {
      return rebuilds;
    },
    catchUp: () => (shared && !closed ? serialize(() => drain(shared)) : Promise.resolve()),
    create: (kind, obj, o = {}) => write(!!o.dryRun, (tx) => doCreate(tx, kind, obj)),
    update: (kind, obj, o = {}) =>
      write(!!o.dryRun, (tx) => doUpdate(tx, kind, obj, mustGet(tx, kind, obj.metadata.namespace, obj.metadata.name), true)),
    updateStatus: (kind, input, o = {}) =>
      write(!!o.dryRun, (tx) => {
        const old = mustGet(tx, kind, input.metadata.namespace, input.metadata.name);
        checkPreconditions(kind, old, { resourceVersion: input.metadata.resourceVersion, uid: input.metadata.uid });
        const obj = derive.withDerivedFields(kind, prepareStatus(kind, input, old), old, tx.overlay, tx.now);
        if (sameObject(obj, old)) return old;
        return record(tx, kind, "MODIFIED", obj, old.metadata.labels);
      }),
    delete: (kind, ns, name, pre = {}, o = {}) =>
      write(!!o.dryRun, (tx) => {
        const old = mustGet(tx, kind, ns, name);
        checkPreconditions(kind, old, pre);
        return doProtectedDelete(tx, kind, old);
      }),
    sync: (kind, op, objs) =>
      write(false, async (tx) => {
        const seen = new Set<string>();
        for (const [i, input] of objs.entries()) {
          if (i > 0 && i % yieldEvery === 0) await yieldToEventLoop();
          const key = `${input.metadata.namespace}/${input.metadata.name}`;
          if (seen.has(key)) {
            throw invalid(kind.kind, input.metadata.name, [
              { field: `items[${i}].metadata.name`, reason: "FieldValueDuplicate", message: `Duplicate value: "${key}" appears twice in the batch` },
            ]);
          }
          seen.add(key);
          const old = tx.overlay.get(kind.kind, input.metadata.namespace, input.metadata.name);
          if (op === "delete") {
            if (old) doDelete(tx, kind, old);
          } else if (old) doUpdate(tx, kind, withStoredFinalizers(input, old), old, false);
          else doCreate(tx, kind, input);
        }
        if (op === "fullsync") {
          for (const o of [...tx.overlay.list(kind.kind)]) {
            if (!seen.has(`${o.metadata.namespace}/${o.metadata.name}`)) doDelete(tx, kind, o);
          }
        }
      }),
    get: (kind, ns, name) => index.get(kind.kind, ns, name),
    list(kind, req) {
      const ids = req.identifiers ?? [];
      const after = req.continueToken ? decodeContinue(req.continueToken) : undefined;
      const limit = req.limit && req.limit > 0 ? req.limit : Infinity;
      const items: KubeObject[] = [];
      let continueToken = "";
      for (const o of index.sorted(kind.kind)) {
        const { namespace, name } = o.metadata;
        if (after && !isAfter(o, after)) continue;
        if (ids.length && !ids.some((id) => id.namespace === namespace && (!id.name || id.name === name))) continue;
        if (req.filter && !filterAccepts(req.filter, namespace, name, o.metadata.labels)) continue;
        if (items.length >= limit) {
          continueToken = encodeContinue(items[items.length - 1]!);
          break;
        }
        items.push(o);
      }
      return { items, resourceVersion: rv, continueToken };
    },
    snapshot(kind, filter) {
      const items = index
        .sorted(kind.kind)
        .filter((o) => filterAccepts(filter, o.metadata.namespace, o.metadata.name, o.metadata.labels));
      return { items, rv, cursor: events.cursor(kind.kind, rv) };
    },
    trimNow,
    async close() {
      closed = true;
      if (trimTimer) clearInterval(trimTimer);
      await tail?.stop();
      await lock.catch(() => undefined);
      await opts.persistence.close();
    },
  };
}
