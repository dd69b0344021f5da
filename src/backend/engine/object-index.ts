/**
 * The current objects, in memory, per kind and key. The durable store is the authority; this index
 * is loaded from it at start and updated only after a commit succeeds, so readers (List, Get, watch
 * snapshots) see exactly the committed state at `rv`. Secondary indexes (secondary-indexes.ts)
 * answer the validation and derive lookups without scanning a kind.
 */
import { objectKey, type KubeObject } from "../../kinds/model.ts";
import { findBy, type IndexSpec, type StateView } from "../../domain/mod.ts";
import { createSecondaryIndexes } from "./secondary-indexes.ts";

export interface ObjectIndex extends StateView {
  lookup(kind: string, index: IndexSpec, value: string): Iterable<KubeObject>;
  set(kind: string, obj: KubeObject): void;
  remove(kind: string, namespace: string, name: string): void;
  /** Objects of a kind sorted by namespace, then name. */
  sorted(kind: string): KubeObject[];
  count(kind: string): number;
}

export function createObjectIndex(kinds: readonly string[]): ObjectIndex {
  const maps = new Map<string, Map<string, KubeObject>>();
  for (const k of kinds) maps.set(k, new Map());
  const mapOf = (kind: string) => {
    const m = maps.get(kind);
    if (!m) throw new Error(`unknown kind ${kind}`);
    return m;
  };
  const indexes = createSecondaryIndexes();
  return {
    get: (kind, ns, name) => mapOf(kind).get(objectKey(ns, name)),
    list: (kind) => mapOf(kind).values(),
    *lookup(kind, index, value) {
      const m = mapOf(kind);
      const keys = indexes.find(kind, index, value, () => m.entries());
      if (keys) for (const k of keys) yield m.get(k)!;
    },
    set: (kind, obj) => {
      const key = objectKey(obj.metadata.namespace, obj.metadata.name);
      mapOf(kind).set(key, obj);
      indexes.update(kind, key, obj);
    },
    remove: (kind, ns, name) => {
      const key = objectKey(ns, name);
      mapOf(kind).delete(key);
      indexes.update(kind, key, undefined);
    },
    sorted: (kind) =>
      [...mapOf(kind).values()].sort((a, b) =>
        a.metadata.namespace === b.metadata.namespace
          ? a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0
          : a.metadata.namespace < b.metadata.namespace ? -1 : 1,
      ),
    count: (kind) => mapOf(kind).size,
  };
}

/**
 * A batch's view: the committed index plus the batch's pending writes (null = deleted), so rules
 * see earlier objects of the same batch (e.g. a Sync that creates a group and its binding).
 */
export interface Overlay extends StateView {
  lookup(kind: string, index: IndexSpec, value: string): Iterable<KubeObject>;
  put(kind: string, obj: KubeObject): void;
  drop(kind: string, namespace: string, name: string): void;
}

export function createOverlay(base: StateView): Overlay {
  const pending = new Map<string, Map<string, KubeObject | null>>();
  const pendingIndexes = createSecondaryIndexes();
  const pend = (kind: string) => {
    let m = pending.get(kind);
    if (!m) pending.set(kind, (m = new Map()));
    return m;
  };
  function* livePending(m: Map<string, KubeObject | null>): Iterable<[string, KubeObject]> {
    for (const [k, o] of m) if (o) yield [k, o];
  }
  return {
    get(kind, ns, name) {
      const p = pending.get(kind)?.get(objectKey(ns, name));
      if (p !== undefined) return p ?? undefined;
      return base.get(kind, ns, name);
    },
    *list(kind) {
      const p = pending.get(kind);
      if (!p || p.size === 0) {
        yield* base.list(kind);
        return;
      }
      for (const o of base.list(kind)) {
        const key = objectKey(o.metadata.namespace, o.metadata.name);
        if (p?.has(key)) continue;
        yield o;
      }
      if (p) for (const o of p.values()) if (o) yield o;
    },
    /** Committed answers the batch has not replaced, then the batch's own (both indexed). */
    *lookup(kind, index, value) {
      const p = pending.get(kind);
      for (const o of findBy(base, kind, index, value)) {
        if (!p?.has(objectKey(o.metadata.namespace, o.metadata.name))) yield o;
      }
      if (!p || p.size === 0) return;
      const keys = pendingIndexes.find(kind, index, value, () => livePending(p));
      if (keys) for (const k of keys) yield p.get(k)!;
    },
    put: (kind, obj) => {
      const key = objectKey(obj.metadata.namespace, obj.metadata.name);
      pend(kind).set(key, obj);
      pendingIndexes.update(kind, key, obj);
    },
    drop: (kind, ns, name) => {
      const key = objectKey(ns, name);
      pend(kind).set(key, null);
      pendingIndexes.update(kind, key, undefined);
    },
  };
}
