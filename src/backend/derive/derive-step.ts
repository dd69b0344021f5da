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
import { KINDS, kindByName, type KindDescriptor } from "../../kinds/kind-table.ts";
import { cloneJson, jsonEqual, type KubeObject } from "../../kinds/model.ts";
import { formatTime } from "../../kinds/convert.ts";
import { splitKey } from "../../kinds/validation/object-key.ts";
import type { StateView } from "../../kinds/validation/state-view.ts";
import { affectedTargets, emptyTargets, storedRuleRefs, type Change, type Targets } from "./affected-targets.ts";
import { cmp, createDeriveContext, type DeriveContext } from "./derive-context.ts";
import { applyDerivedFields } from "./derived-fields.ts";
import { allGeneratedRuleKeys, GENERATED_LABEL, GENERATED_LABEL_VALUE, generatedRuleDraft, generatedRuleSpec, isGeneratedRule } from "./generated-rules.ts";
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

const keyOf = (o: KubeObject) => `${o.metadata.namespace}/${o.metadata.name}`;

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
    apiVersion: "netguard.sgroups.io/v1beta1",
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
  const IEAgAgRule = kindByName("IEAgAgRule")!;
  const Mapping = kindByName("AddressGroupPortMapping")!;
  // cascade: an AddressGroup's delete takes every IEAgAgRule naming it (upstream: FK ON DELETE CASCADE)
  const cascaded = new Set<string>();
  for (const ag of [...t.cascade].sort(cmp)) {
    for (const [kind, obj] of ctx.referrers("AddressGroup", ag)) {
      if (kind !== "IEAgAgRule" || cascaded.has(keyOf(obj))) continue;
      const current = getByKey(sink.state, kind, keyOf(obj));
      if (!current) continue;
      cascaded.add(keyOf(obj));
      remove(sink, IEAgAgRule, current);
    }
  }

  for (const kind of KINDS) {
    const keys = new Set(t.own.get(kind.kind));
    if (kind === Mapping) for (const k of t.mappings) keys.add(k);
    if (kind === IEAgAgRule) for (const k of t.generated) keys.add(k);
    for (const key of [...keys].sort(cmp)) {
      const current = getByKey(sink.state, kind.kind, key);
      if (kind === Mapping && t.mappings.has(key)) deriveMapping(key, current, ctx, sink);
      else if (kind === IEAgAgRule && t.generated.has(key) && !cascaded.has(key)) deriveGeneratedRule(key, current, ctx, sink);
      else if (current) put(sink, kind, current, applyDerivedFields(kind, cloneJson(current), ctx, current, sink.now));
    }
  }
}

/** The port mapping exists exactly while its AddressGroup does. */
function deriveMapping(key: string, current: KubeObject | undefined, ctx: DeriveContext, sink: DeriveSink): void {
  const kind = kindByName("AddressGroupPortMapping")!;
  if (!ctx.get("AddressGroup", key)) {
    if (current) remove(sink, kind, current);
    return;
  }
  const next = current ? cloneJson(current) : newObject(kind.kind, key, sink);
  put(sink, kind, current, applyDerivedFields(kind, next, ctx, current, sink.now));
}

/** A generated rule exists while some Ready RuleS2S contributes to its combination. */
function deriveGeneratedRule(key: string, current: KubeObject | undefined, ctx: DeriveContext, sink: DeriveSink): void {
  const kind = kindByName("IEAgAgRule")!;
  const draft = generatedRuleDraft(ctx, key);
  if (!draft) {
    if (current) remove(sink, kind, current);
    return;
  }
  const next = current ? cloneJson(current) : newObject(kind.kind, key, sink);
  const spec = generatedRuleSpec(draft);
  if (current && !jsonEqual(current.spec ?? {}, spec)) next.metadata.generation = (current.metadata.generation ?? 1) + 1;
  next.spec = spec;
  next.metadata.labels = { ...(next.metadata.labels ?? {}), [GENERATED_LABEL]: GENERATED_LABEL_VALUE };
  put(sink, kind, current, applyDerivedFields(kind, next, ctx, current, sink.now));
}

/** Every target of a state: what `reconcile` and `deriveAll` recompute. */
function allTargets(ctx: DeriveContext): Targets {
  const t = emptyTargets();
  for (const kind of KINDS) for (const o of ctx.state.list(kind.kind)) t.own.get(kind.kind)!.add(keyOf(o));
  for (const ag of ctx.state.list("AddressGroup")) t.mappings.add(keyOf(ag));
  for (const m of ctx.state.list("AddressGroupPortMapping")) t.mappings.add(keyOf(m));
  for (const k of allGeneratedRuleKeys(ctx)) t.generated.add(k);
  for (const r of ctx.state.list("RuleS2S")) for (const k of storedRuleRefs(r)) t.generated.add(k);
  for (const r of ctx.state.list("IEAgAgRule")) {
    if (isGeneratedRule(r)) t.generated.add(keyOf(r));
    for (const path of ["addressGroupLocal", "addressGroup"]) {
      const ref = (r.spec?.[path] ?? {}) as { name?: string; namespace?: string };
      if (ref.name && ref.namespace && !ctx.state.get("AddressGroup", ref.namespace, ref.name)) t.cascade.add(`${ref.namespace}/${ref.name}`);
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
