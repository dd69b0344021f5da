/**
 * Reading reference fields (`{apiVersion, kind, name, namespace}`) out of objects, generically from
 * the kind table's `refs` paths. A ref path holds either one reference or, for list-valued paths such
 * as Service `spec.addressGroups`, a list of them; both come back as a flat list of located refs.
 */
import type { RefField } from "../kinds/kind-table.ts";
import { objectKey } from "../kinds/model.ts";
import { dotted, item } from "./field-path.ts";
import { asArray, asNonEmptyString, asRecord, readPath } from "./json-access.ts";

/** One reference value and the field path it was found at. */
export interface LocatedRef {
  field: string;
  value: unknown;
  /** The target kind the kind table expects at this path. */
  targetKind: string;
}

/** "namespace/name" of a reference, or undefined when it lacks a usable name or namespace. */
export function refKey(ref: unknown): string | undefined {
  const r = asRecord(ref);
  const name = asNonEmptyString(r?.name);
  const namespace = asNonEmptyString(r?.namespace);
  return name && namespace ? objectKey(namespace, name) : undefined;
}

/** The namespace and name of a reference when both are usable. */
export function refIdentity(ref: unknown): { namespace: string; name: string } | undefined {
  const r = asRecord(ref);
  const name = asNonEmptyString(r?.name);
  const namespace = asNonEmptyString(r?.namespace);
  return name && namespace ? { namespace, name } : undefined;
}

/** The reference value(s) at one kind-table ref path; list elements get indexed field paths. */
export function refsAt(obj: unknown, ref: RefField): LocatedRef[] {
  const field = dotted(ref.path);
  const value = readPath(obj, ref.path);
  const list = asArray(value);
  if (list) return list.map((v, i) => ({ field: item(field, i), value: v, targetKind: ref.kind }));
  if (value === undefined || value === null) return [];
  return [{ field, value, targetKind: ref.kind }];
}

/** All references of an object, in kind-table order. */
export function allRefs(obj: unknown, refs: readonly RefField[]): LocatedRef[] {
  return refs.flatMap((r) => refsAt(obj, r));
}

/** The keys of the usable references at a path holding one reference or a list of them. */
export function refKeysAt(obj: unknown, path: readonly string[]): string[] {
  const value = readPath(obj, path);
  const list = asArray(value) ?? (value === undefined || value === null ? [] : [value]);
  const out: string[] = [];
  for (const v of list) {
    const k = refKey(v);
    if (k) out.push(k);
  }
  return out;
}

/** The key of the single reference at a dotted path such as "spec.serviceRef". */
export function refKeyAt(obj: unknown, path: readonly string[]): string | undefined {
  return refKey(readPath(obj, path));
}
