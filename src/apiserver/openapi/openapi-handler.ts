/**
 * Serves `/openapi/v3`, `/openapi/v3/apis/<group>/<version>` and `/openapi/v2`. The v3 group-version
 * document is immutable for a given hash, so it is served with an ETag and, when requested with the
 * current hash, as cacheable (as kube-apiserver does).
 */
import { GV_PATH, openApiV3 } from "./openapi-v3.ts";
import { OPENAPI_V2_CONTENT_TYPE, OPENAPI_V2_PROTOBUF } from "./openapi-v2.ts";

const json = (body: string, headers: Record<string, string> = {}) =>
  new Response(body, { headers: { "content-type": "application/json", ...headers } });

/** The OpenAPI routes; undefined for any other path. */
export function createOpenApiHandler(): (req: Request, url: URL) => Promise<Response | undefined> {
  return async (req, url) => {
    if (req.method !== "GET" && req.method !== "HEAD") return undefined;
    const path = url.pathname.replace(/\/+$/, "");
    if (path === "/openapi/v2") {
      return new Response(OPENAPI_V2_PROTOBUF, { headers: { "content-type": OPENAPI_V2_CONTENT_TYPE } });
    }
    if (path === "/openapi/v3") return json((await openApiV3()).root);
    if (path === `/openapi/v3/${GV_PATH}`) {
      const doc = await openApiV3();
      const etag = `"${doc.hash}"`;
      const headers: Record<string, string> = { etag };
      headers["cache-control"] = url.searchParams.get("hash") === doc.hash ? "public, immutable" : "no-cache, private";
      if (req.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
      return json(doc.groupVersion, headers);
    }
    return undefined;
  };
}
