/**
 * The representation a read asks for through its Accept header: a server-rendered Table (kubectl's
 * human output), PartialObjectMetadata (metadata-only clients such as the garbage collector and the
 * namespace controller), or the plain objects.
 */
import type { KindDescriptor } from "../../../kinds/kind-table.ts";
import { API_VERSION, type KubeObject } from "../../../kinds/model.ts";
import { parseIncludeObject, renderTable, wantsTable } from "../../tables.ts";
import { jsonResponse, PARTIAL_CONTENT_TYPE, PARTIAL_LIST_CONTENT_TYPE, TABLE_CONTENT_TYPE } from "../http-responses.ts";

/** Plain objects, a server-rendered Table, or metadata only. */
export type ReadFormat = "json" | "table" | "partial";

/** The format asked for by `accept`. */
export function readFormat(accept: string | null): ReadFormat {
  if (wantsTable(accept)) return "table";
  if (accept && /as=PartialObjectMetadata(List)?\b/.test(accept) && /g=meta\.k8s\.io/.test(accept)) return "partial";
  return "json";
}

const partial = (o: KubeObject) => ({ kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: o.metadata });

/** One page of a list as the backend returned it. */
export interface ListPageView {
  items: KubeObject[];
  resourceVersion: string;
  continueToken?: string;
}

/** A list response in the format the request asks for. */
export function listResponse(kind: KindDescriptor, page: ListPageView, req: Request, url: URL): Response {
  const format = readFormat(req.headers.get("accept"));
  const meta: Record<string, string> = { resourceVersion: page.resourceVersion };
  if (page.continueToken) meta.continue = page.continueToken;
  if (format === "table") {
    const table = renderTable(kind, page.items, { resourceVersion: page.resourceVersion, continue: page.continueToken }, parseIncludeObject(url.searchParams.get("includeObject")));
    return jsonResponse(table, 200, [], TABLE_CONTENT_TYPE);
  }
  if (format === "partial") {
    return jsonResponse({ kind: "PartialObjectMetadataList", apiVersion: "meta.k8s.io/v1", metadata: meta, items: page.items.map(partial) }, 200, [], PARTIAL_LIST_CONTENT_TYPE);
  }
  return jsonResponse({ apiVersion: API_VERSION, kind: kind.listKind, metadata: meta, items: page.items });
}

/** A single-object read response in the format the request asks for. */
export function objectReadResponse(kind: KindDescriptor, obj: KubeObject, req: Request, url: URL): Response {
  const format = readFormat(req.headers.get("accept"));
  if (format === "table") {
    const table = renderTable(kind, [obj], { resourceVersion: obj.metadata.resourceVersion }, parseIncludeObject(url.searchParams.get("includeObject")));
    return jsonResponse(table, 200, [], TABLE_CONTENT_TYPE);
  }
  if (format === "partial") return jsonResponse(partial(obj), 200, [], PARTIAL_CONTENT_TYPE);
  return jsonResponse(obj);
}
