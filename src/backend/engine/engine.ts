/**
 * The engine: the backend's state of every kind, and the only way to change it. `createEngine`
 * loads the store, then composes the concerns that live in their own files:
 *
 * - write-pipeline.ts — the write lock, transactions, commit, publish, multi-replica catch-up;
 * - write-ops.ts — what each write (create, update, delete, Sync) records in its transaction;
 * - snapshots.ts and paging-token.ts — lists, watch snapshots and continue tokens;
 * - retention-timer.ts — trimming the durable log;
 * - startup-reconcile.ts — bringing derived data up to date before serving;
 * - replica-tail.ts — reading what other replicas committed (shared stores).
 *
 * Deletes through the Delete RPC use in-use protection (in-use-protection.ts): an object still in
 * use becomes Terminating instead of being refused, and goes in the same commit as its last use.
 * Upstream's Sync Delete keeps refusing such deletes.
 */
import { KINDS } from "../../kinds/kind-table.ts";
import { createDeriveStep } from "../derive/derive-step.ts";
import { createEventStore } from "../event-store/event-store.ts";
import { DEFAULT_YIELD_EVERY, type Engine, type EngineOptions } from "./engine-types.ts";
import { createInUseProtection } from "./in-use-protection.ts";
import { createObjectIndex } from "./object-index.ts";
import { startReplicaTail, type ReplicaTail } from "./replica-tail.ts";
import { startRetentionTimer } from "./retention-timer.ts";
import { listObjects, takeSnapshot } from "./snapshots.ts";
import { reconcileAtStart } from "./startup-reconcile.ts";
import { createWriteOps } from "./write-ops.ts";
import { createWritePipeline, type EngineState } from "./write-pipeline.ts";

export * from "./engine-types.ts";

/** Loads the store and starts the engine (reconcile, replica tail, retention timer). */
export async function createEngine(opts: EngineOptions): Promise<Engine> {
  const kindNames = KINDS.map((k) => k.kind);
  const loaded = await opts.persistence.load();
  const index = createObjectIndex(kindNames);
  const protection = createInUseProtection();
  for (const { kind, object } of loaded.objects) index.set(kind, object);
  protection.track(loaded.objects.map(({ kind, object }) => ({ kind, type: "ADDED" as const, object })));
  const state: EngineState = {
    kindNames,
    index,
    protection,
    derive: createDeriveStep(),
    events: createEventStore({
      kinds: kindNames,
      ringCapacity: opts.ringCapacity,
      startRv: loaded.rv,
      persistence: opts.persistence,
      floorRv: () => state.floorRv,
    }),
    rv: loaded.rv,
    floorRv: loaded.floorRv,
    lastWrite: new Date(),
    rebuilds: 0,
    closed: false,
  };
  const { events, derive } = state;
  const shared = opts.persistence.shared;
  const yieldEvery = Math.max(1, opts.yieldEvery ?? DEFAULT_YIELD_EVERY);
  const pipeline = createWritePipeline(state, { persistence: opts.persistence, now: opts.now ?? (() => new Date()), yieldEvery });
  const ops = createWriteOps(pipeline, derive, yieldEvery);
  const { write, serialize } = pipeline;

  async function trimNow(): Promise<number> {
    state.floorRv = Math.max(state.floorRv, await opts.persistence.trim(opts.retention, Date.now()));
    return state.floorRv;
  }

  await reconcileAtStart((build) => write(false, (tx) => build(pipeline.deriveSink(tx))), derive, opts.onWarning);
  let tail: ReplicaTail | undefined;
  if (shared) {
    tail = await startReplicaTail({
      log: shared,
      intervalMs: opts.tailIntervalMs ?? 1000,
      position: () => state.rv,
      serialize,
      apply: pipeline.applyTail,
      rebuild: pipeline.rebuild,
    });
  }
  const stopRetention = startRetentionTimer(opts.trimIntervalMs, trimNow);

  return {
    events,
    index,
    get currentRv() {
      return state.rv;
    },
    get floorRv() {
      return state.floorRv;
    },
    get lastWrite() {
      return state.lastWrite;
    },
    get rebuilds() {
      return state.rebuilds;
    },
    catchUp: () => (shared && !state.closed ? serialize(() => pipeline.drain(shared)) : Promise.resolve()),
    create: (kind, obj, o = {}) => write(!!o.dryRun, (tx) => ops.create(tx, kind, obj)),
    update: (kind, obj, o = {}) => write(!!o.dryRun, (tx) => ops.update(tx, kind, obj)),
    updateStatus: (kind, obj, o = {}) => write(!!o.dryRun, (tx) => ops.updateStatus(tx, kind, obj)),
    delete: (kind, ns, name, pre = {}, o = {}) => write(!!o.dryRun, (tx) => ops.delete(tx, kind, ns, name, pre)),
    sync: (kind, op, objs) => write(false, (tx) => ops.sync(tx, kind, op, objs)),
    get: (kind, ns, name) => index.get(kind.kind, ns, name),
    list: (kind, req) => listObjects(index, state.rv, kind, req),
    snapshot: (kind, filter) => takeSnapshot(index, events, state.rv, kind, filter),
    trimNow,
    async close() {
      state.closed = true;
      stopRetention();
      await tail?.stop();
      await pipeline.idle();
      await opts.persistence.close();
    },
  };
}
