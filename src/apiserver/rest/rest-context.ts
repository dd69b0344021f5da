/**
 * What every verb handler gets: the backend, the watch hub, the parsed route and the request.
 * Handlers are plain functions of this context, written once for every kind.
 */
import type { BackendClient } from "../backend-client.ts";
import type { WatchHub } from "../watch/watch-types.ts";
import type { Authorizer } from "../auth/authorizer.ts";
import type { AuditLog } from "../auth/audit-log.ts";
import type { ResourceRoute } from "./resource-route.ts";

/** The API server's collaborators: the backend (all data) and the watch hub (all watches). */
export interface RestDeps {
  backend: BackendClient;
  watch: WatchHub;
  /** Largest list page (api.max_list_limit): a larger `limit` is clamped to it (absent: no clamp). */
  maxListLimit?: number;
  /** Decides every request before it is served (absent: no authorization, as kube's AlwaysAllow). */
  authorizer?: Authorizer;
  /** Receives one line per mutating request (absent: no audit). */
  audit?: AuditLog;
}

/** One resource request, parsed. */
export interface RestContext extends RestDeps {
  req: Request;
  url: URL;
  route: ResourceRoute;
}

/** A verb implementation. */
export type VerbHandler = (ctx: RestContext) => Promise<Response>;
