/**
 * The current objects, in memory, per kind and key. The durable store is the authority; this index
 * is loaded from it at start and updated only after a commit succeeds, so readers (List, Get, watch
 * snapshots) see exactly the committed state at `rv`.
 */
import { objectKey, type KubeObject } from "../../kinds/model.ts";
import type { StateView } from "../../kinds/validation/state-view.ts";

export interface ObjectIndex extends StateView {
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
  return {
    get: (kind, ns, name) => mapOf(kind).get(objectKey(ns, name)),
    list: (kind) => mapOf(kind).values(),
    set: (kind, obj) => void mapOf(kind).set(objectKey(obj.metadata.namespace, obj.metadata.name), obj),
    remove: (kind, ns, name) => void mapOf(kind).delete(objectKey(ns, name)),
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
  put(kind: string, obj: KubeObject): void;
  drop(kind: string, namespace: string, name: string): void;
}

export function createOverlay(base: StateView): Overlay {
  const pending = new Map<string, Map<string, KubeObject | null>>();
  const pend = (kind: string) => {
    let m = pending.get(kind);
    if (!m) pending.set(kind, (m = new Map()));
    return m;
  };
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
    put: (kind, obj) => void pend(kind).set(objectKey(obj.metadata.namespace, obj.metadata.name), obj),
    drop: (kind, ns, name) => void pend(kind).set(objectKey(ns, name), null),
  };
}
