/**
 * Building JSON responses, including the `Warning` headers that carry field-validation warnings
 * (`299 - "unknown field \"spec.foo\""`, the format kubectl prints as "Warning: ...").
 */

/** Content types of the representations this API answers with. */
export const JSON_CONTENT_TYPE = "application/json";
export const TABLE_CONTENT_TYPE = "application/json;as=Table;v=v1;g=meta.k8s.io";
export const PARTIAL_LIST_CONTENT_TYPE = "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io";
export const PARTIAL_CONTENT_TYPE = "application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io";

/** An RFC 7234 warning value with code 299 and agent "-", as kube-apiserver sends. */
export function warningValue(text: string): string {
  return `299 - "${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** A JSON response; each warning becomes one `Warning` header. */
export function jsonResponse(body: unknown, status = 200, warnings: readonly string[] = [], contentType = JSON_CONTENT_TYPE): Response {
  const headers = new Headers({ "content-type": contentType });
  for (const w of warnings) headers.append("warning", warningValue(w));
  return new Response(JSON.stringify(body), { status, headers });
}
