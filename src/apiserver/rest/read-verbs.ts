/**
 * list and get. Lists pass namespace, selectors, limit and continue to the backend and always carry
 * the backend's `metadata.resourceVersion` (kubectl watches from it; without it `get -w` prints rows
 * twice). `resourceVersion`/`resourceVersionMatch` on reads are accepted and ignored: the backend
 * always serves its current state, which satisfies every match rule.
 */
import { queryInt } from "./query-options.ts";
import type { RestContext } from "./rest-context.ts";
import { listResponse, objectReadResponse } from "./response-format.ts";
import { parseSelectors } from "./selector-params.ts";

/** GET on a collection (without watch). */
export async function listVerb(ctx: RestContext): Promise<Response> {
  const { kind, namespace } = ctx.route;
  const selectors = parseSelectors(ctx.url, namespace);
  const page = await ctx.backend.list(kind, {
    namespace,
    labelSelector: selectors.labelSelector,
    fieldSelector: selectors.fieldSelector,
    limit: queryInt(ctx.url, "limit"),
    continueToken: ctx.url.searchParams.get("continue") ?? undefined,
  });
  return listResponse(kind, page, ctx.req, ctx.url);
}

/** GET on an object or its status subresource (both return the whole object). */
export async function getVerb(ctx: RestContext): Promise<Response> {
  const { kind, namespace, name } = ctx.route;
  const obj = await ctx.backend.get(kind, namespace, name!);
  return objectReadResponse(kind, obj, ctx.req, ctx.url);
}
