/**
 * The Kubernetes-shaped object model shared by the backend and the API server.
 *
 * The backend keeps, validates and streams objects in this shape (the shape users and kubectl see),
 * so that validation errors name Kubernetes field paths and the API server needs no second model.
 * Protobuf messages exist only on the wire; `convert.ts` maps between the two.
 */

import { ownValue, setOwn } from "./own-keys.ts";

export const GROUP = "netguard.sgroups.io";
export const VERSION = "v1beta1";
export const API_VERSION = `${GROUP}/${VERSION}`;

/** Kubernetes object metadata as netguard persists it. */
export interface ObjectMeta {
  name: string;
  namespace: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  /** Set when a delete was accepted but finalizers are pending: the object is Terminating. */
  deletionTimestamp?: string;
  /** Must all be removed before a Terminating object goes away (see src/kinds/finalizers.ts). */
  finalizers?: string[];
  generateName?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  managedFields?: ManagedFieldsEntry[];
}

/** Server-side apply ownership record. */
export interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  apiVersion?: string;
  time?: string;
  fieldsType?: string;
  fieldsV1?: unknown;
  subresource?: string;
}

/** Standard metav1.Condition. */
export interface Condition {
  type: string;
  status: string;
  observedGeneration?: number;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** Any netguard object: typed envelope, free-form spec/status/root-level derived fields. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  [rootField: string]: unknown;
}

/** A namespaced reference as written in manifests. */
export interface ObjectRef {
  apiVersion?: string;
  kind?: string;
  name?: string;
  namespace?: string;
}

/** "namespace/name", the identity of an object inside a kind. */
export function objectKey(namespace: string, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

/** Reads a nested value by path segments (own properties only); undefined when any step is missing. */
export function getPath(obj: unknown, path: readonly string[]): unknown {
  let cur: unknown = obj;
  for (const seg of path) {
    if (cur === null || typeof cur !== "object" || !Object.hasOwn(cur, seg)) return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

/**
 * Sets a nested value, creating objects on the way; undefined values are not written. Reads and
 * writes own properties only, so no segment can reach or replace a prototype.
 */
export function setPath(obj: Record<string, unknown>, path: readonly string[], value: unknown): void {
  if (value === undefined) return;
  let cur = obj;
  for (let i = 0; i < path.length - 1; i++) {
    const seg = path[i]!;
    let next = ownValue(cur, seg);
    if (next === null || typeof next !== "object") {
      next = {};
      setOwn(cur, seg, next);
    }
    cur = next as Record<string, unknown>;
  }
  setOwn(cur, path[path.length - 1]!, value);
}

/** Structural equality of JSON values (key order independent). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], bb[i])) return false;
    return true;
  }
  const ak = Object.keys(a as object).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const bk = Object.keys(b as object).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ak.length !== bk.length) return false;
  for (const k of ak) {
    if (!jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

/** Deep copy of a JSON value. */
export function cloneJson<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}
