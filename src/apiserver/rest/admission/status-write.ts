/**
 * What a status write sends to the backend: only identity, the resourceVersion/uid preconditions
 * and `status`. Everything else in the body is ignored, as for a Kubernetes status subresource, so
 * nothing outside status (which is not validated here) reaches the wire.
 */
import type { KindDescriptor } from "../../../kinds/kind-table.ts";
import { API_VERSION, type KubeObject } from "../../../kinds/model.ts";
import { isJsonObject } from "./request-body.ts";

/**
 * The status-only object for `updateStatus`, from a (validated) body or patch result, with the
 * managedFields the field manager computed for this status write (the body's own are ignored).
 */
export function statusOnly(kind: KindDescriptor, namespace: string, name: string, source: Record<string, unknown>, managedFields?: unknown): KubeObject {
  const meta = isJsonObject(source.metadata) ? source.metadata : {};
  const obj: KubeObject = { apiVersion: API_VERSION, kind: kind.kind, metadata: { name, namespace } };
  if (typeof meta.resourceVersion === "string" && meta.resourceVersion) obj.metadata.resourceVersion = meta.resourceVersion;
  if (typeof meta.uid === "string" && meta.uid) obj.metadata.uid = meta.uid;
  if (isJsonObject(source.status)) obj.status = structuredClone(source.status);
  if (Array.isArray(managedFields) && managedFields.length) obj.metadata.managedFields = structuredClone(managedFields);
  return obj;
}
