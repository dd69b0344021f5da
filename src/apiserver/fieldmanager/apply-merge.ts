/**
 * The object side of server-side apply: merging an applied configuration into the live object and
 * removing the fields its manager stopped applying. Objects merge field by field, lists and scalars
 * are replaced whole (atomic). A `null` in the configuration is dropped before anything else: it
 * neither sets nor claims the field (netguard stores no nulls). Keys are copied with own-key
 * checks onto fresh objects, so a `__proto__` key stays data.
 */
import { cloneJson } from "../../kinds/model.ts";
import { memberPaths, type FieldSet } from "./field-set.ts";

type Json = Record<string, unknown>;

function isMap(v: unknown): v is Json {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function setOwn(obj: Json, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
}

/** A copy of `config` without null-valued fields (inside lists too). */
export function dropNulls(config: Json): Json {
  const out: Json = {};
  for (const key of Object.keys(config)) {
    const v = config[key];
    if (v === null) continue;
    setOwn(out, key, isMap(v) ? dropNulls(v) : Array.isArray(v) ? v.map((x) => (isMap(x) ? dropNulls(x) : x)) : v);
  }
  return out;
}

/** `live` with `config` merged in (a new value; neither input is modified). */
export function mergeApplied(live: Json, config: Json): Json {
  const out = cloneJson(live);
  const merge = (dst: Json, src: Json) => {
    for (const key of Object.keys(src)) {
      const v = src[key];
      const cur = Object.hasOwn(dst, key) ? dst[key] : undefined;
      if (isMap(v) && isMap(cur)) merge(cur, v);
      else setOwn(dst, key, cloneJson(v));
    }
  };
  merge(out, config);
  return out;
}

/**
 * Removes from `obj` (in place) the leaves at the member paths of `drop`. Only leaves go: a path
 * that now holds a non-empty object has fields another writer put there, and they stay.
 */
export function removeLeaves(obj: Json, drop: FieldSet): void {
  for (const path of memberPaths(drop)) {
    let parent: unknown = obj;
    for (const name of path.slice(0, -1)) parent = isMap(parent) && Object.hasOwn(parent, name) ? parent[name] : undefined;
    if (!isMap(parent)) continue;
    const last = path[path.length - 1]!;
    if (!Object.hasOwn(parent, last)) continue;
    const v = parent[last];
    if (isMap(v) && Object.keys(v).length) continue;
    delete parent[last];
  }
}
