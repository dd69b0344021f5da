/**
 * The API server's Kubernetes-facing routes for netguard.sgroups.io/v1beta1: discovery, OpenAPI and
 * the resources of the eight kinds (CRUD, patch, status, deletecollection, watch), and the namespace
 * lookup kubectl makes after a NotFound. Returns
 * undefined for any other path so that the caller answers 404.
 */
import { createDiscoveryHandler } from "../discovery/discovery-handler.ts";
import { createOpenApiHandler } from "../openapi/openapi-handler.ts";
import { createNamespaceLookupHandler } from "./namespace-lookup.ts";
import { createResourceHandler } from "./resource-handler.ts";
import type { RestDeps } from "./rest-context.ts";

/** The REST handler `api-server.ts` composes: discovery, OpenAPI, resources, namespace lookup. */
export function createRestHandler(o: RestDeps): (req: Request, url: URL) => Promise<Response | undefined> {
  const routes = [createDiscoveryHandler(), createOpenApiHandler(), createResourceHandler(o), createNamespaceLookupHandler()];
  return async (req, url) => {
    for (const route of routes) {
      const res = await route(req, url);
      if (res) return res;
    }
    return undefined;
  };
}
