/**
 * The server-written fields of an object: its kind's derived fields and readiness (the `derive`
 * hooks of its descriptor, src/kinds/<kind>/descriptor.ts), the managed conditions and
 * `status.observedGeneration`. `applyDerivedFields` is used both when a client writes an object (so
 * the written version already carries its derived fields, in the same event) and when a later
 * change in the same transaction makes them stale (a separate event with its own resourceVersion).
 */
import { type DeriveContext, refKey, refsAt } from "../../domain/mod.ts";
import { statusOf } from "../../kinds/derive-helpers.ts";
import type { Contribution } from "../../kinds/kind-derive.ts";
import { KINDS, type KindDescriptor } from "../../kinds/kind-table.ts";
import type { Condition, KubeObject } from "../../kinds/model.ts";
import { managedConditions, stampConditions } from "./conditions.ts";

/** Generic readiness: every object the kind table says this kind references exists. */
function missingReferences(kind: KindDescriptor, obj: KubeObject, ctx: DeriveContext): string[] {
  const out: string[] = [];
  for (const ref of kind.refs) {
    for (const located of refsAt(obj, ref)) {
      const key = refKey(located.value);
      if (key && !ctx.get(ref.kind, key)) out.push(`${ref.kind} ${key} not found`);
    }
  }
  return out;
}

let contributionsTo: Map<string, Contribution[]> | undefined;
/**
 * The contributions other kinds make to objects of `kind` (src/kinds/kind-derive.ts
 * `Contribution`), collected once from the kind table: an AddressGroup's `networks` come from the
 * NetworkBinding kind, so deriving an AddressGroup runs that kind's hook too.
 */
export function contributionsFor(kind: string): readonly Contribution[] {
  if (!contributionsTo) {
    contributionsTo = new Map();
    for (const c of KINDS.flatMap((k) => k.derive.contributes ?? [])) contributionsTo.set(c.kind, [...(contributionsTo.get(c.kind) ?? []), c]);
  }
  return contributionsTo.get(kind) ?? [];
}

/**
 * Sets `obj`'s derived fields, managed conditions and `status.observedGeneration` in place and
 * returns it. `previous` is the version being replaced (its conditions' transition times are
 * kept when the status did not flip); `ctx` must see `obj` as the current version.
 */
export function applyDerivedFields(kind: KindDescriptor, obj: KubeObject, ctx: DeriveContext, previous: KubeObject | undefined, now: Date): KubeObject {
  const key = `${obj.metadata.namespace}/${obj.metadata.name}`;
  const d = kind.derive;
  d.fields?.(obj, key, ctx);
  for (const c of contributionsFor(kind.kind)) c.fields?.(obj, key, ctx);
  const notReady = d.notReady ? d.notReady(obj, key, ctx) : missingReferences(kind, obj, ctx);
  const generation = obj.metadata.generation ?? 1;
  const own = (obj.status?.conditions as Condition[] | undefined) ?? [];
  const prevConditions = previous?.status?.conditions as Condition[] | undefined;
  const s = statusOf(obj);
  s.conditions = stampConditions(managedConditions(kind.kind, notReady, d.synced === true), generation, prevConditions, own, now);
  s.observedGeneration = generation;
  return obj;
}
