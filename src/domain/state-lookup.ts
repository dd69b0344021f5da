/**
 * Indexed questions to a StateView — "objects of kind K whose key under index I is V" — answered
 * by the view's own indexes when it has them (the engine's committed index and batch overlay) and
 * by a scan otherwise (small test states). The reference indexes are data: one per (kind, target
 * kind) pair of the kind table's `refs`.
 */
import type { RefField } from "../kinds/kind-descriptor.ts";
import type { KubeObject } from "../kinds/model.ts";
import { refKeyAt, refKeysAt } from "./references.ts";
import type { IndexSpec, StateView } from "./state-view.ts";

/** Objects of `kind` in `state` whose `index` keys include `value`. */
export function findBy(state: StateView, kind: string, index: IndexSpec, value: string): KubeObject[] {
  if (state.lookup) return [...state.lookup(kind, index, value)];
  const out: KubeObject[] = [];
  for (const o of state.list(kind)) if (index.keys(o).includes(value)) out.push(o);
  return out;
}

const refIndexes = new Map<string, IndexSpec>();

let refsOfKind: (kind: string) => readonly RefField[] = () => {
  throw new Error("reference indexes used before the kind table was loaded (src/kinds/kind-table.ts)");
};

/**
 * Called once by `kind-table.ts`: where reference indexes find a kind's `refs`. Kind descriptors'
 * rules use `refIndex`; were this module to import the kind table, which imports the descriptors,
 * loading a descriptor first would meet an uninitialised table.
 */
export function useKindRefs(lookup: (kind: string) => readonly RefField[]): void {
  refsOfKind = lookup;
}

/**
 * The index of `kind` by the "namespace/name" keys of its references to `targetKind` (every ref
 * path of the kind table that points at that kind; list paths contribute each element).
 */
export function refIndex(kind: string, targetKind: string): IndexSpec {
  const name = `ref:${targetKind}`;
  const id = `${kind} ${name}`;
  let spec = refIndexes.get(id);
  if (!spec) {
    const paths = refsOfKind(kind).filter((r) => r.kind === targetKind).map((r) => r.path);
    spec = {
      name,
      keys: (obj) => {
        if (paths.length === 1) return refKeysAt(obj, paths[0]!);
        return [...new Set(paths.flatMap((p) => refKeysAt(obj, p)))];
      },
    };
    refIndexes.set(id, spec);
  }
  return spec;
}

/** An index with at most one key per object, from a function that may find none. */
export function singleKeyIndex(name: string, key: (obj: unknown) => string | undefined): IndexSpec {
  return {
    name,
    keys: (obj) => {
      const k = key(obj);
      return k === undefined ? [] : [k];
    },
  };
}

/** Objects sorted by "namespace/name" (lookups answer in index order; messages want a stable one). */
export function byObjectKey<T extends KubeObject>(objects: T[]): T[] {
  const k = (o: KubeObject) => `${o.metadata?.namespace}/${o.metadata?.name}`;
  return objects.sort((a, b) => (k(a) < k(b) ? -1 : k(a) > k(b) ? 1 : 0));
}

/**
 * Objects of `kind` whose single reference at `path` is `key` (an object of `targetKind`), sorted by
 * key: "the bindings naming this Network". The reference index narrows, the path decides, since a
 * kind may reference the same target kind at several paths.
 */
export function referencingAt(state: StateView, kind: string, targetKind: string, path: readonly string[], key: string): KubeObject[] {
  return byObjectKey(findBy(state, kind, refIndex(kind, targetKind), key).filter((o) => refKeyAt(o, path) === key));
}
