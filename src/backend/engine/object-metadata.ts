/**
 * How the server owns metadata: what a create assigns, what an update keeps, when generation grows.
 * Clients never set uid, creationTimestamp, resourceVersion or generation; status is written only
 * through status updates; derived (read-only) fields are the server's.
 */
import type { KindDescriptor } from "../../kinds/kind-table.ts";
import { cloneJson, getPath, jsonEqual, setPath, type KubeObject } from "../../kinds/model.ts";
import { formatTime } from "../../kinds/convert.ts";

const NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

/** Kubernetes-style generated suffix (5 characters, no vowels: no accidental words). */
export function generateSuffix(random: () => number = Math.random): string {
  let s = "";
  for (let i = 0; i < 5; i++) s += NAME_ALPHABET[Math.floor(random() * NAME_ALPHABET.length)];
  return s;
}

function dropFields(obj: KubeObject, paths: readonly (readonly string[])[]): void {
  for (const path of paths) {
    const parent = getPath(obj, path.slice(0, -1)) as Record<string, unknown> | undefined;
    if (parent && typeof parent === "object") delete parent[path[path.length - 1]!];
  }
}

function copyFields(from: KubeObject, to: KubeObject, paths: readonly (readonly string[])[]): void {
  for (const path of paths) setPath(to, path, cloneJson(getPath(from, path)));
}

/** The stored form of a new object (rv is filled in by the commit). */
export function prepareCreate(kind: KindDescriptor, input: KubeObject, now: Date, name: string): KubeObject {
  const obj = cloneJson(input);
  obj.apiVersion = input.apiVersion;
  delete obj.status;
  dropFields(obj, kind.readOnly);
  const m = obj.metadata;
  m.name = name;
  m.uid = crypto.randomUUID();
  m.generation = 1;
  m.creationTimestamp = formatTime(now);
  delete m.resourceVersion;
  delete m.deletionTimestamp;
  if (!m.finalizers?.length) delete m.finalizers;
  return obj;
}

/**
 * An update of spec, labels, annotations, finalizers and managed fields. Status, derived fields and
 * server metadata (deletionTimestamp included) are kept from `old`; generation grows only when the
 * spec changes.
 */
export function prepareUpdate(kind: KindDescriptor, input: KubeObject, old: KubeObject): KubeObject {
  const obj: KubeObject = cloneJson(input);
  delete obj.status;
  dropFields(obj, kind.readOnly);
  copyFields(old, obj, kind.readOnly);
  if (old.status) obj.status = cloneJson(old.status);
  const m = obj.metadata;
  const om = old.metadata;
  m.name = om.name;
  m.namespace = om.namespace;
  m.uid = om.uid;
  m.creationTimestamp = om.creationTimestamp;
  if (om.generateName) m.generateName = om.generateName;
  else delete m.generateName;
  if (!m.managedFields && om.managedFields) m.managedFields = cloneJson(om.managedFields);
  // a Terminating object stays Terminating; finalizers are the client's (validation guards the server's)
  if (om.deletionTimestamp) m.deletionTimestamp = om.deletionTimestamp;
  else delete m.deletionTimestamp;
  if (!m.finalizers?.length) delete m.finalizers;
  m.resourceVersion = om.resourceVersion;
  const specChanged = !jsonEqual(old.spec ?? {}, obj.spec ?? {});
  m.generation = (om.generation ?? 1) + (specChanged ? 1 : 0);
  return obj;
}

/**
 * A status update: only status (conditions, observedGeneration, kind status fields) changes, and
 * managedFields when the writer sends them (the API server records status ownership there).
 */
export function prepareStatus(kind: KindDescriptor, input: KubeObject, old: KubeObject): KubeObject {
  const obj = cloneJson(old);
  if (input.metadata.managedFields?.length) obj.metadata.managedFields = cloneJson(input.metadata.managedFields);
  const derived = kind.readOnly.filter((p) => p[0] === "status");
  obj.status = cloneJson(input.status ?? {});
  // derived status fields are the server's: drop the client's value, keep the stored one
  dropFields(obj, derived);
  copyFields(old, obj, derived);
  if (!Object.keys(obj.status ?? {}).length) delete obj.status;
  return obj;
}

/** Equal except for resourceVersion: such a write changes nothing and emits nothing. */
export function sameObject(a: KubeObject, b: KubeObject): boolean {
  const ra = a.metadata.resourceVersion;
  const rb = b.metadata.resourceVersion;
  try {
    a.metadata.resourceVersion = undefined;
    b.metadata.resourceVersion = undefined;
    return jsonEqual(a, b);
  } finally {
    a.metadata.resourceVersion = ra;
    b.metadata.resourceVersion = rb;
  }
}
