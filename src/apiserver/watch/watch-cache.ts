/**
 * One kind's watch cache: the current objects (key → object) and a ring of recent changes, fed by
 * one upstream source (backend stream or poller) and read by every watch client of the kind.
 *
 * Positions are resourceVersions. `rv` is how far the cache is consistent (events and bookmarks);
 * every event with rv > `floorRv` is in the ring unless the position lies in a relist gap, which is
 * where a fresh snapshot replaced an event stream and the exact history is unknown. Sources may
 * deliver an event twice (a resumed stream after a poll, say): anything at or below `rv` is ignored,
 * so events enter the ring once and in order.
 */
import type { KindDescriptor } from "../../kinds/kind-table.ts";
import { objectKey, type KubeObject } from "../../kinds/model.ts";
import type { CacheEvent, ChangeType, StateEntry } from "./cache-event.ts";
import { createWatchLog, type WatchLog } from "../../watch-log/mod.ts";
import type { KindWatchStats } from "./watch-stats.ts";

export interface WatchCacheHooks {
  /** Called after events were published (schedule a flush to the watchers). */
  onPublish(): void;
  /** A relist replaced the events between fromRv and toRv by a diff: positions strictly inside are inexact. */
  onGap(fromRv: number, toRv: number): void;
  /** The upstream went backwards (a different backend store): every position is void. */
  onReset(): void;
}

export interface SyncOptions {
  /** Record the replaced range as a gap (stream relists); polls diff without one. */
  gap: boolean;
}

export interface WatchCache {
  readonly kind: KindDescriptor;
  /** The kind's watch log: recent changes, read in place through each watcher's cursor. */
  readonly ring: WatchLog<CacheEvent>;
  readonly state: ReadonlyMap<string, StateEntry>;
  /** The current objects in key order (namespace/name, like a list), shared until the next change. */
  snapshot(): readonly StateEntry[];
  /** Newest position the cache is consistent at. */
  readonly rv: number;
  /** Positions below this are older than the ring. */
  readonly floorRv: number;
  /** A first snapshot has been loaded. */
  readonly loaded: boolean;
  /** Loaded and not waiting for a re-sync: the state may be served as "current". */
  readonly ready: boolean;
  /** Marks the state stale until the next `sync` (source start or restart, relist). */
  beginSync(): void;
  /** Resolves when the cache is ready. */
  whenReady(): Promise<void>;
  /** A full snapshot at `rv`: loads it, or publishes its differences from the current state. */
  sync(objects: readonly KubeObject[], rv: number, o: SyncOptions): void;
  /** One exact upstream change; false when it was already applied. */
  apply(type: ChangeType, object: KubeObject, rv: number, commitTimeMs?: number): boolean;
  /** A progress bookmark: every change up to rv has been seen. */
  progress(rv: number): void;
  /** Whether a watch resuming after `rv` can be served from the ring exactly. */
  isServable(rv: number): boolean;
}

/** An empty, not yet loaded cache; the kind's source loads it with its first snapshot or poll. */
export function createWatchCache(kind: KindDescriptor, capacity: number, hooks: WatchCacheHooks, stats: KindWatchStats): WatchCache {
  const ring = createWatchLog<CacheEvent>(capacity, 0);
  let state = new Map<string, StateEntry>();
  let rv = 0;
  let loaded = false;
  let ready = false;
  let readyPromise: Promise<void> | undefined;
  let resolveReady: (() => void) | undefined;
  let gaps: { from: number; to: number }[] = [];
  let sorted: StateEntry[] | undefined;

  const floor = () => ring.floorRv;

  const markReady = () => {
    ready = true;
    const r = resolveReady;
    resolveReady = undefined;
    readyPromise = undefined;
    r?.();
  };

  const publish = (ev: CacheEvent) => {
    sorted = undefined;
    if (ev.type === "DELETED") state.delete(objectKey(ev.namespace, ev.name));
    else state.set(objectKey(ev.namespace, ev.name), ev); // the event is the entry: its JSON is shared
    ring.publish(ev);
    if (ev.rv > rv) rv = ev.rv;
    stats.eventsPublished++;
    stats.eventsByType[ev.type]++;
  };

  const pruneGaps = () => {
    const f = floor();
    if (gaps.length && gaps[0]!.to <= f) gaps = gaps.filter((g) => g.to > f);
  };

  const load = (objects: readonly KubeObject[], at: number) => {
    sorted = undefined;
    state = new Map();
    for (const o of objects) state.set(objectKey(o.metadata.namespace, o.metadata.name), { object: o, rv: Number(o.metadata.resourceVersion) || at });
    rv = at;
    ring.reset(at);
    gaps = [];
    loaded = true;
  };

  return {
    kind,
    ring,
    get state() {
      return state;
    },
    snapshot() {
      if (!sorted) {
        const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
        sorted = [...state.values()].sort(
          (a, b) => cmp(a.object.metadata.namespace, b.object.metadata.namespace) || cmp(a.object.metadata.name, b.object.metadata.name),
        );
      }
      return sorted;
    },
    get rv() {
      return rv;
    },
    get floorRv() {
      return floor();
    },
    get loaded() {
      return loaded;
    },
    get ready() {
      return ready;
    },
    beginSync() {
      ready = false;
    },
    whenReady() {
      if (ready) return Promise.resolve();
      readyPromise ??= new Promise<void>((r) => (resolveReady = r));
      return readyPromise;
    },
    sync(objects, at, o) {
      if (!loaded) {
        load(objects, at);
        markReady();
        return;
      }
      if (at < rv) {
        // The upstream's counter went backwards: a different store. Nothing old is comparable.
        load(objects, at);
        hooks.onReset();
        markReady();
        return;
      }
      const fromRv = rv;
      const seen = new Set<string>();
      const out: CacheEvent[] = [];
      const clamp = (n: number) => Math.min(at, Math.max(fromRv + 1, Number.isFinite(n) ? n : at));
      for (const obj of objects) {
        const { namespace, name } = obj.metadata;
        const key = objectKey(namespace, name);
        seen.add(key);
        const prev = state.get(key);
        const objRv = Number(obj.metadata.resourceVersion);
        if (!prev) out.push({ type: "ADDED", rv: clamp(objRv), object: obj, namespace, name });
        else if (prev.rv !== objRv) {
          out.push({ type: "MODIFIED", rv: clamp(objRv), object: obj, namespace, name, prevLabels: prev.object.metadata.labels });
        }
      }
      for (const [key, prev] of state) {
        if (seen.has(key)) continue;
        const gone: KubeObject = { ...prev.object, metadata: { ...prev.object.metadata, resourceVersion: String(at) } };
        out.push({ type: "DELETED", rv: at, object: gone, namespace: gone.metadata.namespace, name: gone.metadata.name });
      }
      out.sort((a, b) => a.rv - b.rv);
      for (const ev of out) publish(ev);
      if (at > rv) rv = at;
      if (o.gap && at > fromRv + 1) {
        gaps.push({ from: fromRv, to: at });
        hooks.onGap(fromRv, at);
      }
      pruneGaps();
      markReady();
      if (out.length) hooks.onPublish();
    },
    apply(type, object, at, commitTimeMs) {
      if (!loaded || at <= rv) return false;
      const { namespace, name } = object.metadata;
      const prev = state.get(objectKey(namespace, name));
      let t = type;
      if (t === "ADDED" && prev) t = "MODIFIED";
      else if (t === "MODIFIED" && !prev) t = "ADDED";
      publish(
        t === "MODIFIED"
          ? { type: t, rv: at, object, namespace, name, prevLabels: prev!.object.metadata.labels, commitTimeMs }
          : { type: t, rv: at, object, namespace, name, commitTimeMs },
      );
      pruneGaps();
      hooks.onPublish();
      return true;
    },
    progress(at) {
      if (loaded && at > rv) rv = at;
    },
    isServable(at) {
      if (!loaded || at < floor()) return false;
      for (const g of gaps) if (g.from < at && at < g.to) return false;
      return true;
    },
  };
}
