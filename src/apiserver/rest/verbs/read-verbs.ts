/**
 * list and get. Lists pass namespace, selectors, limit and continue to the backend and always carry
 * the backend's `metadata.resourceVersion` (kubectl watches from it; without it `get -w` prints rows
 * twice). The backend serves only its current state, so a list's `resourceVersion` is honoured as
 * kube-apiserver's watch cache honours it: unset or "0" → current; N (NotOlderThan, the default
 * match) → current once the server has reached N, waiting briefly for it, else 504 "Too large
 * resource version"; Exact N → the state at N, which is the current state when N is the current
 * version, and otherwise no longer kept: 410 Expired, as Kubernetes answers for compacted history.
 */
import type { ListPage } from "../../backend-client.ts";
import { statusError } from "../../status.ts";
import { parseListOptions, type ListOptions } from "../params/list-options.ts";
import type { RestContext } from "../rest-context.ts";
import { listResponse, objectReadResponse } from "../params/response-format.ts";
import { parseSelectors } from "../params/selector-params.ts";

/** kube-apiserver's message for a list at a resourceVersion its storage no longer has. */
const LIST_EXPIRED = "The resourceVersion for the provided list is too old.";

/** Reads a page, waiting for the requested resourceVersion when the backend is behind it. */
async function readAtResourceVersion(ctx: RestContext, o: ListOptions, read: () => Promise<ListPage>): Promise<ListPage> {
  let page = await read();
  const min = o.minResourceVersion;
  if (min > 0 && Number(page.resourceVersion) < min) {
    await ctx.watch.waitForResourceVersion(ctx.route.kind, min, o.resourceVersion, ctx.req.signal);
    page = await read();
  }
  if (o.resourceVersionMatch === "Exact" && Number(page.resourceVersion) > min) throw statusError.expired(LIST_EXPIRED);
  return page;
}

/** GET on a collection (without watch). */
export async function listVerb(ctx: RestContext): Promise<Response> {
  const { kind, namespace } = ctx.route;
  const options = parseListOptions(ctx.url, false);
  const selectors = parseSelectors(ctx.url, namespace);
  const page = await readAtResourceVersion(ctx, options, () =>
    ctx.backend.list(kind, {
      namespace,
      labelSelector: selectors.labelSelector,
      fieldSelector: selectors.fieldSelector,
      // As the Kubernetes contract allows, a page may be smaller than asked; the rest follows with `continue`.
      limit: options.limit !== undefined && ctx.maxListLimit !== undefined ? Math.min(options.limit, ctx.maxListLimit) : options.limit,
      continueToken: options.continueToken || undefined,
    }),
  );
  return listResponse(kind, page, ctx.req, ctx.url);
}

/** GET on an object or its status subresource (both return the whole object). */
export async function getVerb(ctx: RestContext): Promise<Response> {
  const { kind, namespace, name } = ctx.route;
  const obj = await ctx.backend.get(kind, namespace, name!);
  return objectReadResponse(kind, obj, ctx.req, ctx.url);
}
