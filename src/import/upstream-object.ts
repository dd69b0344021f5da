/**
 * One upstream row (plus its k8s_metadata row) as a Kubernetes object, through the kind table.
 * Labels, annotations, uid and creation time are kept; conditions are not (this server computes
 * its own), nor are resourceVersion and generation (this store's counters).
 */
import { formatTime } from "../kinds/convert.ts";
import { API_VERSION, type KubeObject } from "../kinds/model.ts";
import { RowError } from "./row-error.ts";
import type { UpstreamRow } from "./row-decoders.ts";
import type { UpstreamTable } from "./upstream-tables.ts";

/** What the store assigns itself but the import wants to keep from upstream (see pinning). */
export interface UpstreamIdentity {
  uid?: string;
  creationTimestamp?: string;
}

export interface DecodedObject {
  object: KubeObject;
  identity: UpstreamIdentity;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function stringMap(column: string, v: unknown): Record<string, string> | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v !== "object" || Array.isArray(v)) throw new RowError(column, `expected an object, got ${JSON.stringify(v)}`);
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (typeof x !== "string") throw new RowError(column, `value of "${k}" is not a string`);
    out[k] = x;
  }
  return Object.keys(out).length ? out : undefined;
}

/** Decodes one row; throws RowError naming the column when the row is malformed. */
export function decodeUpstreamObject(t: UpstreamTable, row: UpstreamRow, meta: UpstreamRow | null): DecodedObject {
  const name = row.name;
  const namespace = row.namespace;
  if (typeof name !== "string" || !name) throw new RowError("name", "missing");
  if (typeof namespace !== "string" || !namespace) throw new RowError("namespace", "missing");
  const spec: Record<string, unknown> = {};
  for (const [field, decode] of t.spec) {
    const v = decode(row);
    if (v !== undefined) spec[field] = v;
  }
  const object: KubeObject = { apiVersion: API_VERSION, kind: t.kind, metadata: { name, namespace }, spec };
  const identity: UpstreamIdentity = {};
  if (meta) {
    const labels = stringMap("k8s_metadata.labels", meta.labels);
    const annotations = stringMap("k8s_metadata.annotations", meta.annotations);
    if (labels) object.metadata.labels = labels;
    if (annotations) object.metadata.annotations = annotations;
    if (meta.uid !== null && meta.uid !== undefined) {
      if (typeof meta.uid !== "string" || !UUID.test(meta.uid)) throw new RowError("k8s_metadata.uid", `not a UUID: ${JSON.stringify(meta.uid)}`);
      identity.uid = meta.uid.toLowerCase();
    }
    if (meta.created_at !== null && meta.created_at !== undefined) {
      const d = typeof meta.created_at === "string" ? new Date(meta.created_at) : new Date(NaN);
      if (Number.isNaN(d.getTime())) throw new RowError("k8s_metadata.created_at", `not a timestamp: ${JSON.stringify(meta.created_at)}`);
      identity.creationTimestamp = formatTime(d);
    }
  }
  return { object, identity };
}
