/**
 * Generic conversion between Kubernetes-shaped objects and the netguard.v1 protobuf messages,
 * driven by each kind's field table. Metadata, conditions and observedGeneration travel in the
 * proto `Meta` for every kind, so this code is the same for all of them.
 */
import { create, type Message } from "@bufbuild/protobuf";
import { timestampDate, timestampFromDate, type Timestamp } from "@bufbuild/protobuf/wkt";
import type { Condition as PbCondition, ManagedFieldsEntry as PbManagedFields, Meta } from "../gen/netguard/v1/resources_pb.ts";
import type { KindDescriptor } from "./kind-table.ts";
import { API_VERSION, getPath, setPath, type Condition, type KubeObject, type ManagedFieldsEntry, type ObjectMeta } from "./model.ts";

/** RFC 3339 with second precision, as Kubernetes renders metav1.Time. */
export function formatTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function tsToString(ts: Timestamp | undefined): string | undefined {
  if (!ts || (ts.seconds === 0n && ts.nanos === 0)) return undefined;
  return formatTime(timestampDate(ts));
}

function stringToTs(s: unknown): Timestamp | undefined {
  if (typeof s !== "string" || !s) return undefined;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? undefined : timestampFromDate(d);
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function metaToProto(obj: KubeObject): Record<string, unknown> {
  const m = obj.metadata ?? ({} as ObjectMeta);
  const status = (obj.status ?? {}) as { conditions?: Condition[]; observedGeneration?: number };
  return {
    uid: m.uid ?? "",
    resourceVersion: m.resourceVersion ?? "",
    generation: BigInt(m.generation ?? 0),
    creationTs: stringToTs(m.creationTimestamp),
    deletionTs: stringToTs(m.deletionTimestamp),
    labels: { ...(m.labels ?? {}) },
    annotations: { ...(m.annotations ?? {}) },
    generatedName: m.generateName ?? "",
    finalizers: Array.isArray(m.finalizers) ? m.finalizers.filter((f): f is string => typeof f === "string") : [],
    observedGeneration: BigInt(status.observedGeneration ?? 0),
    conditions: (status.conditions ?? []).map((c) => ({
      type: c.type ?? "",
      status: c.status ?? "",
      observedGeneration: BigInt(c.observedGeneration ?? 0),
      lastTransitionTime: stringToTs(c.lastTransitionTime),
      reason: c.reason ?? "",
      message: c.message ?? "",
    })),
    managedFields: (m.managedFields ?? []).map((e) => ({
      manager: e.manager ?? "",
      operation: e.operation ?? "",
      apiVersion: e.apiVersion ?? "",
      time: stringToTs(e.time),
      fieldsType: e.fieldsType ?? "",
      fieldsV1: e.fieldsV1 === undefined ? new Uint8Array() : encoder.encode(JSON.stringify(e.fieldsV1)),
      subresource: e.subresource ?? "",
    })),
  };
}

function conditionFromProto(c: PbCondition): Condition {
  const out: Condition = { type: c.type, status: c.status };
  if (c.observedGeneration) out.observedGeneration = Number(c.observedGeneration);
  const t = tsToString(c.lastTransitionTime);
  if (t) out.lastTransitionTime = t;
  if (c.reason) out.reason = c.reason;
  if (c.message) out.message = c.message;
  return out;
}

function managedFromProto(e: PbManagedFields): ManagedFieldsEntry {
  const out: ManagedFieldsEntry = {};
  if (e.manager) out.manager = e.manager;
  if (e.operation) out.operation = e.operation;
  if (e.apiVersion) out.apiVersion = e.apiVersion;
  const t = tsToString(e.time);
  if (t) out.time = t;
  if (e.fieldsType) out.fieldsType = e.fieldsType;
  if (e.fieldsV1.length) {
    try {
      out.fieldsV1 = JSON.parse(decoder.decode(e.fieldsV1));
    } catch {
      // not JSON: drop rather than fail the whole object
    }
  }
  if (e.subresource) out.subresource = e.subresource;
  return out;
}

/** Kubernetes object → protobuf message of the kind. Unmapped fields are dropped. */
export function toProto(kind: KindDescriptor, obj: KubeObject): Message {
  const init: Record<string, unknown> = {
    selfRef: { name: obj.metadata?.name ?? "", namespace: obj.metadata?.namespace ?? "" },
    meta: metaToProto(obj),
  };
  for (const fld of kind.fields) init[fld.proto] = fld.codec.toProto(getPath(obj, fld.path));
  return create(kind.schema, init as never) as Message;
}

/** Protobuf message of the kind → Kubernetes object (apiVersion/kind set, empty fields omitted). */
export function fromProto(kind: KindDescriptor, msg: Message): KubeObject {
  const m = msg as unknown as Record<string, unknown> & { selfRef?: { name: string; namespace: string }; meta?: Meta };
  const meta = m.meta;
  const metadata: ObjectMeta = { name: m.selfRef?.name ?? "", namespace: m.selfRef?.namespace ?? "" };
  if (meta) {
    if (meta.generatedName) metadata.generateName = meta.generatedName;
    if (meta.uid) metadata.uid = meta.uid;
    if (meta.resourceVersion) metadata.resourceVersion = meta.resourceVersion;
    if (meta.generation) metadata.generation = Number(meta.generation);
    const ct = tsToString(meta.creationTs);
    if (ct) metadata.creationTimestamp = ct;
    const dt = tsToString(meta.deletionTs);
    if (dt) metadata.deletionTimestamp = dt;
    if (Object.keys(meta.labels).length) metadata.labels = { ...meta.labels };
    if (Object.keys(meta.annotations).length) metadata.annotations = { ...meta.annotations };
    if (meta.finalizers.length) metadata.finalizers = [...meta.finalizers];
    if (meta.managedFields.length) metadata.managedFields = meta.managedFields.map(managedFromProto);
  }
  const obj: KubeObject = { apiVersion: API_VERSION, kind: kind.kind, metadata, spec: {} };
  const ctx = { namespace: metadata.namespace };
  for (const fld of kind.fields) setPath(obj, fld.path, fld.codec.fromProto(m[fld.proto], ctx));
  if (meta && (meta.conditions.length || meta.observedGeneration)) {
    const status = (obj.status ??= {});
    if (meta.conditions.length) status.conditions = meta.conditions.map(conditionFromProto);
    if (meta.observedGeneration) status.observedGeneration = Number(meta.observedGeneration);
  }
  return obj;
}

/**
 * The canonical form of an object: what survives a trip through the wire. The backend stores and
 * compares canonical objects, so a no-op update is detected exactly and nothing unmapped is kept.
 */
export function canonicalize(kind: KindDescriptor, obj: KubeObject): KubeObject {
  return fromProto(kind, toProto(kind, obj));
}
