/**
 * Small helpers shared by kinds' derive hooks (src/kinds/<kind>/*-derive.ts): derived fields are
 * absent when empty (the canonical form, as they read back from the wire).
 */
import type { KubeObject } from "./model.ts";

/** Sets `target[field]`, or deletes it when `value` is undefined. */
export function setOrDelete(target: Record<string, unknown>, field: string, value: unknown): void {
  if (value === undefined) delete target[field];
  else target[field] = value;
}

/** The object's status, created when missing. */
export const statusOf = (obj: KubeObject): Record<string, unknown> => (obj.status ??= {});

/** "namespace/name" of an object. */
export const keyOf = (o: KubeObject): string => `${o.metadata.namespace}/${o.metadata.name}`;
