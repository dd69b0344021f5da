/**
 * The derive context of one pass over a state (a batch's overlay, or a whole store): objects by
 * key, referrers from the state's reference indexes (state-lookup.ts; the referrers of an object
 * cost the objects whose kind-table refs name it, not the store), and the memo kinds' derive hooks
 * keep their questions in (src/kinds/address-group/group-members.ts and the like).
 *
 * A context must not outlive the state it was built on: derived writes never change the inputs
 * (specs and bindings) it caches, which is what makes reuse within one pass safe.
 */
import { type DeriveContext, findBy, refIndex, splitKey, type StateView } from "../../domain/mod.ts";
import { KINDS } from "../../kinds/kind-table.ts";
import type { KubeObject } from "../../kinds/model.ts";

let referring: Map<string, string[]> | undefined;
/** Kinds whose kind-table refs point at `kind`: who can refer to an object of it (built on first use). */
function referringKinds(kind: string): string[] {
  referring ??= new Map(KINDS.map((t) => [t.kind, KINDS.filter((k) => k.refs.some((r) => r.kind === t.kind)).map((k) => k.kind)]));
  return referring.get(kind) ?? [];
}

/** A fresh context over `state` (see the file comment); `wholeState` for reconcile and deriveAll. */
export function createDeriveContext(state: StateView, wholeState = false): DeriveContext {
  const slots = new Map<string, unknown>();
  const memo = <T>(slot: string, compute: () => T): T => {
    if (!slots.has(slot)) slots.set(slot, compute());
    return slots.get(slot) as T;
  };
  const get = (kind: string, key: string) => {
    const id = splitKey(key);
    return id ? state.get(kind, id.namespace, id.name) : undefined;
  };
  return {
    state,
    wholeState,
    get,
    referrers(kind, key) {
      return memo(`referrers:${kind}:${key}`, () =>
        referringKinds(kind).flatMap((k) => findBy(state, k, refIndex(k, kind), key).map((o) => [k, o] as [string, KubeObject])),
      );
    },
    memo,
  };
}
