/**
 * The API server's Kubernetes-facing routes for netguard.sgroups.io/v1beta1: discovery, OpenAPI and
 * the resources of every kind (CRUD, patch, status, deletecollection, watch), and the namespace
 * lookup kubectl makes after a NotFound. Returns
 * undefined for any other path so that the caller answers 404.
 */
import { createDiscoveryHandler } from "../discovery/discovery-handler.ts";
import { createOpenApiHandler } from "../openapi/openapi-handler.ts";
import { createNamespaceLookupHandler } from "./namespace-lookup.ts";
import { createResourceHandler } from "./resource-handler.ts";
import type { RestDeps } from "./rest-context.ts";
import { withAuthorization } from "../auth/authorizer-filter.ts";

/**
 * The REST handler `api-server.ts` composes: discovery, OpenAPI, resources, namespace lookup — every
 * one behind the authorizer (as kube-apiserver authorizes before routing, so an unknown path is
 * decided too) and, for mutating requests, the audit log.
 */
export function createRestHandler(o: RestDeps): (req: Request, url: URL) => Promise<Response | undefined> {
  const routes = [createDiscoveryHandler(), createOpenApiHandler(), createResourceHandler(o), createNamespaceLookupHandler()];
  const route = async (req: Request, url: URL) => {
    for (const r of routes) {
      const res = await r(req, url);
      if (res) return res;
    }
    return undefined;
  };
  return withAuthorization(route, o.authorizer, o.audit);
}
