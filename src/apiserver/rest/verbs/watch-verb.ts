/**
 * Watch requests (`?watch=<anything but false/0>` on a collection or object path, or the deprecated
 * `/watch/` prefix): parameters are converted and validated here as kube-apiserver's ListOptions
 * (400 for malformed values, 422 for forbidden combinations), the stream is the watch hub's. A
 * watch on a
 * named object is a collection watch with `fieldSelector=metadata.name=<name>`, which is also what
 * kubectl sends for `get <name> -w`.
 */
import { requestConnection } from "../../../runtime/serve-fetch.ts";
import { claimWatchSlot } from "../../watch-admission.ts";
import { parseIncludeObject, wantsTable } from "../../tables.ts";
import type { WatchRequestParams } from "../../watch/watch-types.ts";
import { parseListOptions } from "../params/list-options.ts";
import { queryFlag } from "../params/query-options.ts";
import type { RestContext } from "../rest-context.ts";
import { parseSelectors } from "../params/selector-params.ts";

/** The watch parameters of a request (throws 400/422 on bad selectors, numbers or options). */
export function watchParams(ctx: RestContext): WatchRequestParams {
  const { kind, namespace, name } = ctx.route;
  const { url } = ctx;
  const options = parseListOptions(url, true);
  const selectors = parseSelectors(url, namespace, name);
  return {
    kind,
    namespace,
    labelSelector: selectors.labelSelector,
    fieldSelector: selectors.fieldSelector,
    filter: selectors.filter,
    resourceVersion: options.resourceVersion,
    allowBookmarks: queryFlag(url, "allowWatchBookmarks"),
    sendInitialEvents: options.sendInitialEvents ?? false,
    timeoutSeconds: options.timeoutSeconds,
    format: wantsTable(ctx.req.headers.get("accept")) ? "table" : "json",
    includeObject: parseIncludeObject(url.searchParams.get("includeObject")),
    directBody: requestConnection(ctx.req).directBodies === true,
  };
}

/** Serves a watch through the hub; its watcher takes the request's admission slot, if it has one. */
export async function watchVerb(ctx: RestContext): Promise<Response> {
  const params = watchParams(ctx);
  params.onEnd = claimWatchSlot(ctx.req);
  return ctx.watch.serve(params, ctx.req.signal);
}
