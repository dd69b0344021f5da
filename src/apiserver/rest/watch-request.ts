/**
 * Whether a request is a watch, decided from the request line alone (before any handler runs), so
 * that watch admission can count it: a GET with `?watch=<true>` on a resource path, or a GET under
 * the deprecated `/watch/` prefix.
 */
import { queryFlag } from "./params/query-options.ts";
import { parseResourceRoute } from "./resource-route.ts";

export function isWatchRequest(req: Request, url: URL): boolean {
  if (req.method !== "GET") return false;
  const route = parseResourceRoute(url.pathname);
  return route !== undefined && (route.watchPrefix || queryFlag(url, "watch"));
}
