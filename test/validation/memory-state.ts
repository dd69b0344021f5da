/**
 * Test helper: an in-memory StateView over a Map, plus shorthands to build netguard objects and to
 * apply objects the way the backend would (validate, then store).
 */
import { kindByName, type KindDescriptor } from "../../src/kinds/kind-table.ts";
import { API_VERSION, objectKey, type KubeObject } from "../../src/kinds/model.ts";
import type { FieldViolation } from "../../src/kinds/violations.ts";
import { validateObject, validateWrite } from "../../src/kinds/validation/index.ts";
import type { StateView } from "../../src/domain/state-view.ts";

/** A StateView backed by a Map keyed "Kind namespace/name". */
export class MemoryState implements StateView {
  private readonly objects = new Map<string, KubeObject>();

  constructor(objects: Iterable<KubeObject> = []) {
    for (const o of objects) this.put(o);
  }

  private static key(kind: string, namespace: string, name: string): string {
    return `${kind} ${objectKey(namespace, name)}`;
  }

  get(kind: string, namespace: string, name: string): KubeObject | undefined {
    return this.objects.get(MemoryState.key(kind, namespace, name));
  }

  *list(kind: string): Iterable<KubeObject> {
    for (const o of this.objects.values()) if (o.kind === kind) yield o;
  }

  put(obj: KubeObject): void {
    this.objects.set(MemoryState.key(obj.kind, obj.metadata.namespace, obj.metadata.name), obj);
  }

  remove(kind: string, namespace: string, name: string): void {
    this.objects.delete(MemoryState.key(kind, namespace, name));
  }

  get size(): number {
    return this.objects.size;
  }
}

/** The kind descriptor for a kind name; throws in tests when the name is wrong. */
export function kindOf(name: string): KindDescriptor {
  const k = kindByName(name);
  if (!k) throw new Error(`unknown kind ${name}`);
  return k;
}

/** A reference as written in manifests. */
export function ref(kind: string, namespace: string, name: string): Record<string, string> {
  return { apiVersion: API_VERSION, kind, name, namespace };
}

/** A netguard object with the given kind, namespace/name, spec and extra root fields. */
export function obj(kind: string, namespace: string, name: string, spec?: Record<string, unknown>, extra: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: API_VERSION, kind, metadata: { name, namespace }, ...(spec ? { spec } : {}), ...extra };
}

/** Both validators for a create or update, stateless first (as the engine runs them). */
export function checkWrite(state: StateView, o: KubeObject, old?: KubeObject): FieldViolation[] {
  const kind = kindOf(o.kind);
  return [...validateObject(kind, o), ...validateWrite(kind, o, old, state)];
}

/** Validates and stores; throws with the violations when the object is rejected. */
export function apply(state: MemoryState, o: KubeObject): void {
  const old = state.get(o.kind, o.metadata.namespace, o.metadata.name);
  const v = checkWrite(state, o, old);
  if (v.length) throw new Error(`${o.kind} ${o.metadata.namespace}/${o.metadata.name} rejected: ${JSON.stringify(v)}`);
  state.put(o);
}
