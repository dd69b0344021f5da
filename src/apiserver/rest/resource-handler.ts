/**
 * Dispatches resource requests to the verb handlers by path shape and method, for every kind of the
 * kind table. Errors of any verb become `metav1.Status` responses here, with the kind and object
 * name of the request so that kubectl can format them.
 */
import { statusError, statusResponse } from "../status.ts";
import { createVerb } from "./verbs/create-verb.ts";
import { deleteCollectionVerb } from "./verbs/delete-collection-verb.ts";
import { deleteVerb } from "./verbs/delete-verb.ts";
import { statusFor } from "./error-status.ts";
import { patchVerb } from "./verbs/patch-verb.ts";
import { queryFlag } from "./params/query-options.ts";
import { requestCallOptions } from "./request-deadline.ts";
import { getVerb, listVerb } from "./verbs/read-verbs.ts";
import { parseResourceRoute } from "./resource-route.ts";
import type { RestContext, RestDeps } from "./rest-context.ts";
import { updateStatusVerb, updateVerb } from "./verbs/update-verb.ts";
import { watchVerb } from "./verbs/watch-verb.ts";

function notAllowed(ctx: RestContext): never {
  throw statusError.methodNotAllowed(`the server does not allow this method on the requested resource (${ctx.req.method} ${ctx.url.pathname})`);
}

function dispatch(ctx: RestContext): Promise<Response> {
  const { route, req } = ctx;
  const method = req.method;
  if (route.watchPrefix) return method === "GET" ? watchVerb(ctx) : notAllowed(ctx);
  if (route.name === undefined) {
    switch (method) {
      case "GET":
        return queryFlag(ctx.url, "watch") ? watchVerb(ctx) : listVerb(ctx);
      case "POST":
        return route.namespace ? createVerb(ctx) : notAllowed(ctx);
      case "DELETE":
        return route.namespace ? deleteCollectionVerb(ctx) : notAllowed(ctx);
      default:
        return notAllowed(ctx);
    }
  }
  const status = route.subresource === "status";
  switch (method) {
    case "GET":
      return !status && queryFlag(ctx.url, "watch") ? watchVerb(ctx) : getVerb(ctx);
    case "PUT":
      return status ? updateStatusVerb(ctx) : updateVerb(ctx);
    case "PATCH":
      return patchVerb(ctx, status);
    case "DELETE":
      return status ? notAllowed(ctx) : deleteVerb(ctx);
    default:
      return notAllowed(ctx);
  }
}

/** The resource routes of this group-version; undefined for other paths. */
export function createResourceHandler(deps: RestDeps): (req: Request, url: URL) => Promise<Response | undefined> {
  return async (req, url) => {
    const route = parseResourceRoute(url.pathname);
    if (!route) return undefined;
    try {
      const watch = route.watchPrefix || (req.method === "GET" && queryFlag(url, "watch"));
      const backend = deps.backend.withCall(requestCallOptions(req, url, watch));
      return await dispatch({ ...deps, backend, req, url, route });
    } catch (e) {
      return statusResponse(statusFor(e, route.kind, route.name));
    }
  };
}
