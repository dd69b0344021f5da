/**
 * Field ownership for one kind and one endpoint (the object or its `status` subresource), following
 * kube-apiserver's fieldmanager over structured-merge-diff:
 *
 * - `update` (create, update, merge/JSON patch): the fields the write added or changed move to the
 *   writing manager (operation Update), removed fields leave every owner; an object that was never
 *   tracked stays untracked, except on create.
 * - `apply`: the configuration is the manager's complete intent. Its fields are merged into the
 *   live object; fields it applied last time and dropped now are removed unless someone else owns
 *   them; changing a field another manager owns is a conflict (409) unless `force`, which moves it.
 *
 * Fields outside the endpoint are never owned (status on the object, everything but status on the
 * subresource, server-derived fields, and identity metadata). Times move only when the object does,
 * so an apply that changes nothing yields identical managedFields and no write.
 */
import { formatTime } from "../../kinds/convert.ts";
import type { KindDescriptor } from "../../kinds/kind-table.ts";
import { API_VERSION, cloneJson, getPath, jsonEqual, setPath, type KubeObject, type ManagedFieldsEntry } from "../../kinds/model.ts";
import { dropNulls, mergeApplied, removeLeaves } from "./apply-merge.ts";
import { ApplyConflictError, type Conflict } from "./apply-conflict.ts";
import { capUpdateManagers } from "./cap-managers.ts";
import {
  createFieldSet,
  difference,
  insertPath,
  intersection,
  isEmptySet,
  memberPaths,
  restrictToPrefix,
  union,
  type FieldSet,
} from "./field-set.ts";
import { allowedFromLastApplied, KUBECTL_SSA_MANAGER, refreshLastApplied } from "./last-applied.ts";
import { createOwner, decodeManagedFields, decodeOrEmpty, encodeManagedFields, ownerId, type Managed } from "./managed-fields.ts";
import { compareObjects, fieldSetOf, type Comparison } from "./object-fields.ts";

type Json = Record<string, unknown>;

/** Which endpoint writes: the object itself ("") or its status subresource. */
export type Subresource = "" | "status";

/** Owner of everything an object had before its first apply, when nobody tracked it. */
export const BEFORE_FIRST_APPLY = "before-first-apply";

/** Identity and bookkeeping fields no manager owns (kube-apiserver's strip set). */
const STRIPPED: readonly (readonly string[])[] = [
  ["apiVersion"],
  ["kind"],
  ["metadata"],
  ["metadata", "name"],
  ["metadata", "namespace"],
  ["metadata", "creationTimestamp"],
  ["metadata", "selfLink"],
  ["metadata", "uid"],
  ["metadata", "clusterName"],
  ["metadata", "generation"],
  ["metadata", "managedFields"],
  ["metadata", "resourceVersion"],
];
const strippedSet = (() => {
  const s = createFieldSet();
  for (const p of STRIPPED) insertPath(s, p);
  return s;
})();

/** Metadata only the server writes: an applied value is replaced by the live one. */
const SERVER_METADATA: readonly (readonly string[])[] = [
  ["metadata", "uid"],
  ["metadata", "resourceVersion"],
  ["metadata", "generation"],
  ["metadata", "creationTimestamp"],
  ["metadata", "deletionTimestamp"],
  ["metadata", "generateName"],
];

/** Field ownership bookkeeping of one endpoint of one kind. */
export interface FieldManager {
  /**
   * managedFields after a non-apply write of `next` over `live` (undefined on create) by `manager`.
   * `requested` is the managedFields the client sent, honoured on the object endpoint when valid.
   */
  update(live: KubeObject | undefined, next: KubeObject, manager: string, requested: unknown): ManagedFieldsEntry[];
  /**
   * The object after applying `config` (managedFields set) over `live` (undefined: create). When
   * nothing changes, the result equals `live` (managedFields included), which the backend then
   * does not write: same resourceVersion, no event.
   */
  apply(live: KubeObject | undefined, config: Json, manager: string, force: boolean): Json;
}

/** `[]` or `[{}]`: the client asks to forget all ownership (Kubernetes' reset form). */
function isReset(requested: unknown): boolean {
  if (!Array.isArray(requested)) return false;
  if (requested.length === 0) return true;
  const only = requested[0];
  return requested.length === 1 && only !== null && typeof only === "object" && Object.keys(only).length === 0;
}

function withoutManaged(obj: Json): Json {
  const copy = cloneJson(obj);
  if (copy.metadata && typeof copy.metadata === "object") delete (copy.metadata as Json).managedFields;
  return copy;
}

/** Creates the field manager of `kind`'s object endpoint or status subresource. */
export function createFieldManager(kind: KindDescriptor, subresource: Subresource, now: () => Date = () => new Date()): FieldManager {
  const derived = kind.readOnly;

  /** Drops what this endpoint does not own (its reset fields, in Kubernetes' terms). */
  const owned = (set: FieldSet): FieldSet => {
    let out = subresource === "status" ? restrictToPrefix(set, ["status"], true) : restrictToPrefix(set, ["status"], false);
    for (const p of derived) out = restrictToPrefix(out, p, false);
    return out;
  };
  const compare = (lhs: Json, rhs: Json): Comparison => {
    const c = compareObjects(lhs, rhs);
    return { added: owned(c.added), modified: owned(c.modified), removed: owned(c.removed) };
  };
  /** `next` with the fields this endpoint cannot write reset to `live`'s (status, derived, or spec...). */
  const resetForeign = (live: Json, next: Json): Json => {
    const out = subresource === "status" ? cloneJson(live) : cloneJson(next);
    const source = subresource === "status" ? next : live;
    const paths = subresource === "status" ? [["status"]] : [["status"], ...derived, ...SERVER_METADATA];
    for (const p of paths) {
      const v = getPath(source, p);
      if (v === undefined) {
        const parent = getPath(out, p.slice(0, -1));
        if (parent && typeof parent === "object") delete (parent as Json)[p[p.length - 1]!];
      } else setPath(out as KubeObject, p, cloneJson(v));
    }
    return out;
  };
  const stamp = () => formatTime(now());

  /** Takes the changed fields away from every owner; drops owners left with nothing. */
  const takeFrom = (managed: Managed, skip: string | undefined, changed: FieldSet, removed: FieldSet) => {
    for (const [id, o] of managed) {
      if (id === skip) continue;
      const rest = difference(difference(o.set, changed), removed);
      if (isEmptySet(rest)) managed.delete(id);
      else managed.set(id, { ...o, set: rest });
    }
  };

  const recordUpdate = (managed: Managed, live: Json, next: Json, manager: string) => {
    const cmp = compare(live, next);
    const changed = union(cmp.modified, cmp.added);
    takeFrom(managed, undefined, changed, cmp.removed);
    const mine = difference(difference(changed, cmp.removed), strippedSet);
    if (isEmptySet(mine)) return;
    const id = ownerId({ manager, operation: "Update", apiVersion: API_VERSION, subresource });
    const prev = managed.get(id);
    managed.set(id, { ...createOwner(manager, "Update", subresource, prev ? union(mine, prev.set) : mine), time: stamp() });
  };

  const applyOnce = (live: KubeObject | undefined, config: Json, start: Managed, manager: string, force: boolean): Json => {
    const managed: Managed = new Map(start);
    const base = live ? withoutManaged(live as unknown as Json) : {};
    const merged = mergeApplied(base, config);
    const id = ownerId({ manager, operation: "Apply", apiVersion: "", subresource });
    const previous = managed.get(id);
    managed.set(id, { ...createOwner(manager, "Apply", subresource, owned(fieldSetOf(config))), ...(previous?.time ? { time: previous.time } : {}) });
    if (previous && !isEmptySet(previous.set)) {
      let claimed = createFieldSet();
      for (const o of managed.values()) claimed = union(claimed, o.set);
      removeLeaves(merged, difference(previous.set, claimed));
    }
    const result = live ? resetForeign(base, merged) : merged;
    const cmp = compare(base, result);
    const changed = union(cmp.modified, cmp.added);
    const conflicts: Conflict[] = [];
    for (const [oid, o] of managed) {
      if (oid === id) continue;
      for (const path of memberPaths(intersection(o.set, changed))) conflicts.push({ owner: o, ownerId: oid, path });
    }
    if (conflicts.length && !force) throw new ApplyConflictError(conflicts);
    takeFrom(managed, id, changed, cmp.removed);
    const mine = difference(managed.get(id)!.set, strippedSet);
    const objectChanged = !live || !jsonEqual(storedForm(base), storedForm(result));
    if (isEmptySet(mine)) managed.delete(id);
    else managed.set(id, { ...managed.get(id)!, set: mine, ...(objectChanged ? { time: stamp() } : {}) });
    capUpdateManagers(managed);
    if (manager === KUBECTL_SSA_MANAGER) refreshLastApplied(result, config);
    (result.metadata as Json).managedFields = encodeManagedFields(managed);
    return result;
  };

  return {
    update(live, next, manager, requested) {
      let managed = decodeOrEmpty(live?.metadata.managedFields);
      if (subresource === "" && requested !== undefined) {
        if (isReset(requested)) managed = new Map();
        else {
          try {
            const mine = decodeManagedFields(requested);
            if (mine.size) managed = mine;
          } catch {
            // undecodable: keep the live object's ownership, as kube-apiserver does
          }
        }
      }
      // An existing object nobody tracks stays untracked until it is applied to.
      if (managed.size === 0 && live) return [];
      recordUpdate(managed, live ? withoutManaged(live as unknown as Json) : {}, withoutManaged(next as unknown as Json), manager);
      capUpdateManagers(managed);
      return encodeManagedFields(managed);
    },

    apply(live, rawConfig, manager, force) {
      const config = dropNulls(rawConfig);
      let managed = decodeOrEmpty(live?.metadata.managedFields);
      if (live && managed.size === 0) {
        managed = new Map();
        recordUpdate(managed, {}, withoutManaged(live as unknown as Json), BEFORE_FIRST_APPLY);
      }
      try {
        return applyOnce(live, config, managed, manager, force);
      } catch (e) {
        // kubectl's own manager may take over what client-side apply last set (kube-apiserver's upgrade path).
        if (!(e instanceof ApplyConflictError) || manager !== KUBECTL_SSA_MANAGER || !live) throw e;
        const allowed = allowedFromLastApplied(live as unknown as Json);
        if (!allowed) throw e;
        const rest = e.conflicts.filter((c) => !isEmptySet(difference(pathSet(c.path), allowed)));
        if (rest.length) throw new ApplyConflictError(rest);
        return applyOnce(live, config, managed, manager, true);
      }
    },
  };
}

function pathSet(path: readonly string[]): FieldSet {
  const s = createFieldSet();
  insertPath(s, path);
  return s;
}

/** The object as netguard stores it, where an empty map and an absent one are the same (managedFields aside). */
function storedForm(obj: Json): unknown {
  const strip = (v: unknown): unknown => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
    const out: Json = {};
    for (const k of Object.keys(v)) {
      const c = strip((v as Json)[k]);
      if (c !== null && typeof c === "object" && !Array.isArray(c) && Object.keys(c).length === 0) continue;
      Object.defineProperty(out, k, { value: c, enumerable: true, writable: true, configurable: true });
    }
    return out;
  };
  return strip(withoutManaged(obj));
}
