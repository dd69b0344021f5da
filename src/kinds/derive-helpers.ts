/**
 * Small helpers shared by kinds' derive hooks (src/kinds/<kind>/*-derive.ts): derived fields are
 * absent when empty (the canonical form, as they read back from the wire).
 */
import type { Change, TargetSink } from "./kind-derive.ts";
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

/**
 * A binding's change affects what it names, before and after: for each [kind, key-of] pair, the
 * named object's own derived fields (a NetworkBinding's Network and AddressGroup).
 */
export function ownNamedBy(c: Change, t: TargetSink, named: readonly (readonly [string, (o: KubeObject) => string | undefined])[]): void {
  for (const v of [c.before, c.after]) {
    if (!v) continue;
    for (const [kind, keyOfNamed] of named) {
      const key = keyOfNamed(v);
      if (key) t.own(kind, key);
    }
  }
}
