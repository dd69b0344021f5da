/**
 * Object identity ("namespace/name") read defensively, plus the "is this the object being written"
 * test that stateful rules use to skip the object itself, so that an update does not conflict with
 * its own previous version.
 */
import { objectKey } from "../kinds/model.ts";
import { asNonEmptyString, asRecord } from "./json-access.ts";

/** "namespace/name" of an object, or undefined when either part is missing or not a string. */
export function keyOfObject(obj: unknown): string | undefined {
  const meta = asRecord(asRecord(obj)?.metadata);
  const name = asNonEmptyString(meta?.name);
  const namespace = asNonEmptyString(meta?.namespace);
  return name && namespace ? objectKey(namespace, name) : undefined;
}

/** The namespace of an object, or undefined. */
export function namespaceOfObject(obj: unknown): string | undefined {
  return asNonEmptyString(asRecord(asRecord(obj)?.metadata)?.namespace);
}

/** True when `other` has the same namespace/name as `self` (i.e. it is the stored version of `self`). */
export function isSameObject(self: unknown, other: unknown): boolean {
  const a = keyOfObject(self);
  return a !== undefined && a === keyOfObject(other);
}
