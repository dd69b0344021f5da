/**
 * Which derived results a batch of changes can affect — the incremental part of the derive step.
 * Only these targets are recomputed and compared; everything else is left alone. `deriveAll`
 * (derive-all.ts) recomputes every target from scratch, and the property tests check that both
 * agree after every step, which is what keeps the kinds' dependency hooks honest.
 *
 * Generic rules, for every kind:
 * - any write → the written object's own derived fields;
 * - any create/delete → the objects whose refs point at it (their Ready condition), each "affected"
 *   through its kind's `onAffected` hook; a delete also cascades to referrers of kinds marked
 *   `cascadeDelete`;
 * - an update that changes none of the kind's `derive.inputs` affects only itself;
 * - otherwise the kind's `derive.affects` hook names what else the change touches
 *   (src/kinds/<kind>/*-derive.ts), and so does each other kind's `contributes` entry for this
 *   kind whose own `inputs` of it changed.
 */
import { type DeriveContext, readPath, type StateView } from "../../domain/mod.ts";
import { keyOf } from "../../kinds/derive-helpers.ts";
import type { Change, TargetSink } from "../../kinds/kind-derive.ts";
import { KINDS, kindByName } from "../../kinds/kind-table.ts";
import { jsonEqual } from "../../kinds/model.ts";
import { contributionsFor } from "./derived-fields.ts";

export type { Change };

/** kind → keys. */
export type KeysByKind = Map<string, Set<string>>;

/** What one pass recomputes: the derive step applies these in kind-table order (derive-step.ts). */
export interface Targets {
  /** kind → keys of existing objects whose own derived fields to recompute. */
  own: KeysByKind;
  /** kind → keys of server-managed objects to recompute (create, update or delete). */
  managed: KeysByKind;
  /** kind → keys of deleted objects: their referrers of `cascadeDelete` kinds are deleted. */
  cascade: KeysByKind;
}

const byKind = (): KeysByKind => new Map(KINDS.map((k) => [k.kind, new Set<string>()]));

/** No targets yet, with a (possibly empty) key set for every kind of the table. */
export function emptyTargets(): Targets {
  return { own: byKind(), managed: byKind(), cascade: byKind() };
}

/** Adds `key` under `kind` (kinds outside the table are ignored). */
export function addKey(m: KeysByKind, kind: string, key: string): void {
  m.get(kind)?.add(key);
}

/** Kinds that some `cascadeDelete` kind references: deleting one of their objects cascades. */
let cascadingTargets: Set<string> | undefined;
function cascades(kind: string): boolean {
  cascadingTargets ??= new Set(KINDS.filter((k) => k.derive.cascadeDelete).flatMap((k) => k.refs.map((r) => r.kind)));
  return cascadingTargets.has(kind);
}

function inputsChanged(c: Change, inputs: readonly (readonly string[])[] = kindByName(c.kind)?.derive.inputs ?? []): boolean {
  return inputs.some((path) => !jsonEqual(readPath(c.before, path), readPath(c.after, path)));
}

/** A sink recording into `t` (what the kinds' `affects` hooks write to). */
export function createTargetSink(t: Targets, ctx: DeriveContext, committed: StateView): TargetSink {
  const seen = new Set<string>();
  const sink: TargetSink = {
    ctx,
    committed,
    own(kind, key) {
      if (ctx.get(kind, key)) addKey(t.own, kind, key);
    },
    affected(kind, key) {
      const id = `${kind} ${key}`;
      if (seen.has(id)) return;
      seen.add(id);
      sink.own(kind, key);
      kindByName(kind)?.derive.onAffected?.(key, sink);
    },
    managed(kind, key) {
      addKey(t.managed, kind, key);
    },
  };
  return sink;
}

/**
 * The targets `changes` (a batch's own writes; `committed` is the state before them) can affect:
 * the generic rules of the file comment plus each changed kind's derive hooks.
 */
export function affectedTargets(changes: readonly Change[], ctx: DeriveContext, committed: StateView): Targets {
  const t = emptyTargets();
  const sink = createTargetSink(t, ctx, committed);
  for (const c of changes) {
    if (c.after) sink.own(c.kind, c.key);
    if (!c.before !== !c.after) {
      for (const [kind, obj] of ctx.referrers(c.kind, c.key)) sink.affected(kind, keyOf(obj));
      if (!c.after && cascades(c.kind)) addKey(t.cascade, c.kind, c.key);
    }
    // other kinds' contributions to this kind read their own inputs of it
    for (const k of contributionsFor(c.kind)) if (!c.before || !c.after || inputsChanged(c, k.inputs)) k.affects?.(c, sink);
    // an update that leaves the inputs alone (labels, annotations, status) affects only itself
    if (c.before && c.after && !inputsChanged(c)) continue;
    kindByName(c.kind)?.derive.affects?.(c, sink);
  }
  return t;
}
