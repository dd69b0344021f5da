/**
 * The derive step of the write pipeline: after a batch's own writes (`build(tx)`), and in the same
 * transaction, it writes every derived consequence — port mappings, Services' aggregated groups,
 * generated IEAgAgRules, RuleS2S refs, conditions, cascaded deletes — each as its own change with
 * its own resourceVersion, through the engine's ordinary `record` path, so the event log, the ring
 * and every watcher see it. It runs for dry runs too, so a dry run fails exactly when the real
 * write would (e.g. a generated-name collision).
 *
 * Writes are deterministic: kinds in kind-table order, keys sorted, cascade deletes first. A derived
 * object whose recomputed content equals the stored one is not written (no event).
 *
 * Client writes of derived objects: AddressGroupPortMappings cannot be created or deleted by clients
 * (validation refuses; updates may change labels/annotations only, `accessPorts` is read-only). A
 * client may update or delete a generated IEAgAgRule: the change stands until the next change of
 * that rule's inputs (a RuleS2S, its Services' ports or groups, a binding), which regenerates it.
 */
import { cmp, type DeriveContext, refKey, refsAt, splitKey, type StateView } from "../../domain/mod.ts";
import { formatTime } from "../../kinds/convert.ts";
import { keyOf } from "../../kinds/derive-helpers.ts";
import { KINDS, kindByName, type KindDescriptor } from "../../kinds/kind-table.ts";
import { API_VERSION, cloneJson, jsonEqual, type KubeObject } from "../../kinds/model.ts";
import { addKey, affectedTargets, createTargetSink, emptyTargets, type Change, type Targets } from "./affected-targets.ts";
import { createDeriveContext } from "./create-derive-context.ts";
import { applyDerivedFields } from "./derived-fields.ts";
import { stateWithObject } from "./state-with-object.ts";

export type DerivedChangeType = "ADDED" | "MODIFIED" | "DELETED";

/** Where derived changes go: the engine's transaction (or a scratch state in deriveAll). */
export interface DeriveSink {
  /** The batch's view: committed state plus this transaction's writes so far. */
  readonly state: StateView;
  readonly now: Date;
  /** Records one change; afterwards `state` shows it. */
  write(kind: KindDescriptor, type: DerivedChangeType, obj: KubeObject, prevLabels?: Record<string, string>): void;
  /** A fresh uid for a new derived object. */
  newUid(): string;
}

export interface DeriveStep {
  /**
   * `obj` (being written by a client, replacing `previous`) with its derived fields and managed
   * conditions; mutates and returns `obj`. Called before the no-op check of the write.
   */
  withDerivedFields(kind: KindDescriptor, obj: KubeObject, previous: KubeObject | undefined, state: StateView, now: Date): KubeObject;
  /** Writes the derived consequences of `changes` (the batch's own writes) into `sink`. */
  propagate(changes: readonly Change[], committed: StateView, sink: DeriveSink): void;
  /** Recomputes every derived result from scratch and writes what differs (start-up, deriveAll). */
  reconcile(sink: DeriveSink): void;
}

function getByKey(state: StateView, kind: string, key: string): KubeObject | undefined {
  const id = splitKey(key);
  return id ? state.get(kind, id.namespace, id.name) : undefined;
}

/** Equal apart from resourceVersion. */
function unchanged(a: KubeObject, b: KubeObject): boolean {
  const { resourceVersion: _a, ...ma } = a.metadata;
  const { resourceVersion: _b, ...mb } = b.metadata;
  return jsonEqual({ ...a, metadata: ma }, { ...b, metadata: mb });
}

function newObject(kind: string, key: string, sink: DeriveSink): KubeObject {
  const id = splitKey(key)!;
  return {
    apiVersion: API_VERSION,
    kind,
    metadata: { name: id.name, namespace: id.namespace, uid: sink.newUid(), generation: 1, creationTimestamp: formatTime(sink.now) },
    spec: {},
  };
}

/** Writes `next` when it differs from `current` (ADDED when there is no current version). */
function put(sink: DeriveSink, kind: KindDescriptor, current: KubeObject | undefined, next: KubeObject): void {
  if (!current) sink.write(kind, "ADDED", next);
  else if (!unchanged(current, next)) sink.write(kind, "MODIFIED", next, current.metadata.labels ?? {});
}

function remove(sink: DeriveSink, kind: KindDescriptor, current: KubeObject): void {
  sink.write(kind, "DELETED", cloneJson(current));
}

function applyTargets(t: Targets, ctx: DeriveContext, sink: DeriveSink): void {
  // cascade first: a deleted object takes its referrers of `cascadeDelete` kinds (e.g. an
  // AddressGroup its IEAgAgRules; upstream: FK ON DELETE CASCADE)
  const cascaded = new Set<string>();
  for (const target of KINDS) {
    for (const deleted of [...(t.cascade.get(target.kind) ?? [])].sort(cmp)) {
      for (const [kind, obj] of ctx.referrers(target.kind, deleted)) {
        const descriptor = kindByName(kind);
        const id = `${kind} ${keyOf(obj)}`;
        if (!descriptor?.derive.cascadeDelete || cascaded.has(id)) continue;
        const current = getByKey(sink.state, kind, keyOf(obj));
        if (!current) continue;
        cascaded.add(id);
        remove(sink, descriptor, current);
        // what the cascaded object's own deletion affects (a binding's Network loses its status)
        descriptor.derive.affects?.({ kind, key: keyOf(obj), before: current }, createTargetSink(t, ctx, sink.state));
      }
    }
  }

  for (const kind of KINDS) {
    const managed = t.managed.get(kind.kind) ?? new Set<string>();
    const keys = new Set([...(t.own.get(kind.kind) ?? []), ...managed]);
    for (const key of [...keys].sort(cmp)) {
      const current = getByKey(sink.state, kind.kind, key);
      if (managed.has(key)) {
        if (!cascaded.has(`${kind.kind} ${key}`)) deriveManaged(kind, key, current, ctx, sink);
      } else if (current) put(sink, kind, current, applyDerivedFields(kind, cloneJson(current), ctx, current, sink.now));
    }
  }
}

/** A server-managed object: created, updated or deleted to match what its kind says it should be. */
function deriveManaged(kind: KindDescriptor, key: string, current: KubeObject | undefined, ctx: DeriveContext, sink: DeriveSink): void {
  const desired = kind.derive.managed?.desired(key, ctx);
  if (!desired) {
    if (current) remove(sink, kind, current);
    return;
  }
  const next = current ? cloneJson(current) : newObject(kind.kind, key, sink);
  desired.shape(next, current);
  put(sink, kind, current, applyDerivedFields(kind, next, ctx, current, sink.now));
}

/** Every target of a state: what `reconcile` and `deriveAll` recompute. */
function allTargets(ctx: DeriveContext): Targets {
  const t = emptyTargets();
  for (const kind of KINDS) {
    for (const o of ctx.state.list(kind.kind)) addKey(t.own, kind.kind, keyOf(o));
    const managed = kind.derive.managed;
    if (managed) for (const k of managed.allKeys(ctx)) addKey(t.managed, kind.kind, k);
    if (!kind.derive.cascadeDelete) continue;
    // objects whose referenced object is gone are deleted with it
    for (const o of ctx.state.list(kind.kind)) {
      for (const ref of kind.refs) {
        for (const located of refsAt(o, ref)) {
          const k = refKey(located.value);
          if (k && !ctx.get(ref.kind, k)) addKey(t.cascade, ref.kind, k);
        }
      }
    }
  }
  return t;
}

export function createDeriveStep(): DeriveStep {
  return {
    withDerivedFields(kind, obj, previous, state, now) {
      const ctx = createDeriveContext(stateWithObject(state, kind.kind, obj));
      return applyDerivedFields(kind, obj, ctx, previous, now);
    },
    propagate(changes, committed, sink) {
      if (changes.length === 0) return;
      const ctx = createDeriveContext(sink.state);
      applyTargets(affectedTargets(changes, ctx, committed), ctx, sink);
    },
    reconcile(sink) {
      const ctx = createDeriveContext(sink.state, true);
      applyTargets(allTargets(ctx), ctx, sink);
    },
  };
}
