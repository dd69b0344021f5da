/**
 * Checks that a request body is an object of the addressed kind and place: `apiVersion` and `kind`
 * must match the URL's resource (400 otherwise), the body namespace defaults to the URL namespace
 * and must not contradict it, and for requests on a named object the body name must match the URL.
 * The messages are kube-apiserver's, which kubectl prints as they are.
 */
import type { KindDescriptor } from "../../../kinds/kind-table.ts";
import { API_VERSION } from "../../../kinds/model.ts";
import { statusError } from "../../status.ts";
import { isJsonObject } from "./request-body.ts";

/** `apiVersion` and `kind` of the body must be this group-version and kind. */
export function checkTypeMeta(body: Record<string, unknown>, kind: KindDescriptor): void {
  const { apiVersion, kind: k } = body;
  if (k === undefined || k === null || k === "") throw statusError.badRequest("Object 'Kind' is missing in the request body");
  if (apiVersion === undefined || apiVersion === null || apiVersion === "") {
    throw statusError.badRequest("Object 'apiVersion' is missing in the request body");
  }
  if (apiVersion !== API_VERSION) {
    throw statusError.badRequest(`the API version in the data (${String(apiVersion)}) does not match the expected API version (${API_VERSION})`);
  }
  if (k !== kind.kind) throw statusError.badRequest(`the kind in the data (${String(k)}) does not match the expected kind (${kind.kind})`);
}

/**
 * Defaults `metadata.namespace` (and, with `name`, `metadata.name`) from the URL and rejects a body
 * that names another namespace or object. A missing `metadata` becomes `{}`; a non-object
 * `metadata` is left for validation to report.
 */
export function bindToUrl(body: Record<string, unknown>, namespace: string, name?: string): void {
  if (body.metadata === undefined || body.metadata === null) body.metadata = {};
  const meta = body.metadata;
  if (!isJsonObject(meta)) return;
  if (meta.namespace === undefined || meta.namespace === null || meta.namespace === "") meta.namespace = namespace;
  else if (meta.namespace !== namespace) {
    throw statusError.badRequest("the namespace of the provided object does not match the namespace sent on the request");
  }
  if (name === undefined) return;
  if (meta.name === undefined || meta.name === null || meta.name === "") meta.name = name;
  else if (meta.name !== name) {
    throw statusError.badRequest(`the name of the object (${String(meta.name)}) does not match the name on the URL (${name})`);
  }
}
