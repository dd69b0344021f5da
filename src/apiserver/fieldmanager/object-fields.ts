/**
 * Field sets read from objects, the way structured-merge-diff reads them for a CRD without list
 * types: JSON objects are granular (each field its own path), lists and scalars are leaves.
 * `fieldSetOf` is what an applied configuration claims; `compareObjects` is what an update
 * changed, and decides which owners lose fields and which fields the updater gains.
 */
import { jsonEqual } from "../../kinds/model.ts";
import { createFieldSet, insertPath, type FieldSet } from "./field-set.ts";

type Json = Record<string, unknown>;

function isMap(v: unknown): v is Json {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function own(obj: Json, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/** Leaves of `value` (scalars, lists, empty objects, nulls): the fields a configuration sets. */
export function fieldSetOf(value: Json): FieldSet {
  const set = createFieldSet();
  const walk = (obj: Json, path: string[]) => {
    for (const key of Object.keys(obj)) {
      const v = obj[key];
      const p = [...path, key];
      if (isMap(v) && Object.keys(v).length) walk(v, p);
      else insertPath(set, p);
    }
  };
  walk(value, []);
  return set;
}

/** Differences between two objects, as structured-merge-diff reports them. */
export interface Comparison {
  /** Paths present only in the new object (with every path inside them). */
  added: FieldSet;
  /** Leaves present in both with different values. */
  modified: FieldSet;
  /** Paths present only in the old object (with every path inside them). */
  removed: FieldSet;
}

function insertAll(set: FieldSet, v: unknown, path: string[]): void {
  insertPath(set, path);
  if (isMap(v)) for (const key of Object.keys(v)) insertAll(set, v[key], [...path, key]);
}

/** Compares `lhs` (old) with `rhs` (new); empty objects count as absent, as netguard stores them. */
export function compareObjects(lhs: Json, rhs: Json): Comparison {
  const cmp: Comparison = { added: createFieldSet(), modified: createFieldSet(), removed: createFieldSet() };
  const present = (v: unknown) => v !== undefined && !(isMap(v) && Object.keys(v).length === 0);
  const walk = (l: Json, r: Json, path: string[]) => {
    const keys = new Set([...Object.keys(l), ...Object.keys(r)]);
    for (const key of keys) {
      const lv = own(l, key);
      const rv = own(r, key);
      const p = [...path, key];
      if (!present(lv) && !present(rv)) continue;
      if (!present(lv)) insertAll(cmp.added, rv, p);
      else if (!present(rv)) insertAll(cmp.removed, lv, p);
      else if (isMap(lv) && isMap(rv)) walk(lv, rv, p);
      else if (!jsonEqual(lv, rv)) insertPath(cmp.modified, p);
    }
  };
  walk(lhs, rhs, []);
  return cmp;
}
