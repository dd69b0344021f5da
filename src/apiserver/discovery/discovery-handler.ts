/**
 * Serves discovery: `/apis`, `/apis/<group>`, `/apis/<group>/<version>`, `/api` and `/version`.
 * `/apis` and `/api` answer in the aggregated form only when the Accept header asks for it.
 */
import { API_VERSION, GROUP } from "../../kinds/model.ts";
import { aggregatedContentType, aggregatedDiscoveryVersion } from "./discovery-accept.ts";
import { apiGroup, apiGroupDiscoveryList, apiGroupList, apiResourceList, apiVersions, versionInfo } from "./discovery-documents.ts";

const json = (body: unknown, contentType = "application/json") => new Response(JSON.stringify(body), { headers: { "content-type": contentType } });

/** The discovery routes; undefined for any other path or method. */
export function createDiscoveryHandler(): (req: Request, url: URL) => Promise<Response | undefined> {
  // The documents never change while the process runs: build them once.
  const legacy = {
    "/apis": apiGroupList(),
    [`/apis/${GROUP}`]: apiGroup(),
    [`/apis/${API_VERSION}`]: apiResourceList(),
    "/api": apiVersions(),
    "/version": versionInfo(),
  } as Record<string, unknown>;
  return async (req, url) => {
    if (req.method !== "GET" && req.method !== "HEAD") return undefined;
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, "") : url.pathname;
    if (!(path in legacy)) return undefined;
    if (path === "/apis" || path === "/api") {
      const v = aggregatedDiscoveryVersion(req.headers.get("accept"));
      if (v) return json(apiGroupDiscoveryList(v, path === "/apis"), aggregatedContentType(v));
    }
    return json(legacy[path]);
  };
}
