/**
 * Secondary indexes over one keyed collection of objects (the committed index, or a batch's
 * pending writes): per kind and IndexSpec, value → keys of the objects with that value. An index
 * is built by one scan the first time it is asked for, then kept up to date on every change, so a
 * lookup costs the size of its answer, not of the store — which is what keeps a write's cost
 * independent of the number of stored objects.
 */
import type { KubeObject } from "../../kinds/model.ts";
import type { IndexSpec } from "../../domain/mod.ts";

interface Built {
  spec: IndexSpec;
  byValue: Map<string, Set<string>>;
  /** Each object's keys under the spec, to undo them when it changes. */
  keysOf: Map<string, readonly string[]>;
}

export interface SecondaryIndexes {
  /**
   * Keys (object keys) of the objects of `kind` whose `spec` keys include `value`. On first use of
   * (kind, spec.name) the index is built from `entries` (object key → object).
   */
  find(kind: string, spec: IndexSpec, value: string, entries: () => Iterable<[string, KubeObject]>): ReadonlySet<string> | undefined;
  /** Records that the object at `key` is now `obj` (undefined: gone) in every built index of `kind`. */
  update(kind: string, key: string, obj: KubeObject | undefined): void;
}

export function createSecondaryIndexes(): SecondaryIndexes {
  const byKind = new Map<string, Map<string, Built>>();

  function add(b: Built, key: string, obj: KubeObject): void {
    const keys = b.spec.keys(obj);
    if (keys.length === 0) return;
    b.keysOf.set(key, keys);
    for (const v of keys) {
      let set = b.byValue.get(v);
      if (!set) b.byValue.set(v, (set = new Set()));
      set.add(key);
    }
  }

  function drop(b: Built, key: string): void {
    const keys = b.keysOf.get(key);
    if (!keys) return;
    b.keysOf.delete(key);
    for (const v of keys) {
      const set = b.byValue.get(v);
      if (!set) continue;
      set.delete(key);
      if (set.size === 0) b.byValue.delete(v);
    }
  }

  return {
    find(kind, spec, value, entries) {
      let specs = byKind.get(kind);
      if (!specs) byKind.set(kind, (specs = new Map()));
      let b = specs.get(spec.name);
      if (!b) {
        b = { spec, byValue: new Map(), keysOf: new Map() };
        for (const [key, obj] of entries()) add(b, key, obj);
        specs.set(spec.name, b);
      }
      return b.byValue.get(value);
    },
    update(kind, key, obj) {
      const specs = byKind.get(kind);
      if (!specs) return;
      for (const b of specs.values()) {
        drop(b, key);
        if (obj) add(b, key, obj);
      }
    },
  };
}
