/**
 * Watch requests (`?watch=true|1` on a collection or object path, or the deprecated `/watch/`
 * prefix): parameters are parsed and checked here, the stream is the watch hub's. A watch on a
 * named object is a collection watch with `fieldSelector=metadata.name=<name>`, which is also what
 * kubectl sends for `get <name> -w`.
 */
import { parseIncludeObject, wantsTable } from "../tables.ts";
import type { WatchRequestParams } from "../watch/watch-types.ts";
import { queryFlag, queryInt } from "./query-options.ts";
import type { RestContext } from "./rest-context.ts";
import { parseSelectors } from "./selector-params.ts";

/** The watch parameters of a request (throws 400 on bad selectors or numbers). */
export function watchParams(ctx: RestContext): WatchRequestParams {
  const { kind, namespace, name } = ctx.route;
  const { url } = ctx;
  const selectors = parseSelectors(url, namespace, name);
  return {
    kind,
    namespace,
    labelSelector: selectors.labelSelector,
    fieldSelector: selectors.fieldSelector,
    resourceVersion: url.searchParams.get("resourceVersion") ?? "",
    allowBookmarks: queryFlag(url, "allowWatchBookmarks"),
    sendInitialEvents: queryFlag(url, "sendInitialEvents"),
    timeoutSeconds: queryInt(url, "timeoutSeconds"),
    format: wantsTable(ctx.req.headers.get("accept")) ? "table" : "json",
    includeObject: parseIncludeObject(url.searchParams.get("includeObject")),
  };
}

/** Serves a watch through the hub. */
export async function watchVerb(ctx: RestContext): Promise<Response> {
  return ctx.watch.serve(watchParams(ctx), ctx.req.signal);
}
