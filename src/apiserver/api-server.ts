/**
 * The Kubernetes API server for netguard.sgroups.io/v1beta1: one web-standard fetch handler
 * (discovery, OpenAPI, REST, watch, health), run by Bun.serve or Deno.serve. It keeps no
 * authoritative state: reads and writes go to the backend; watches are served from per-kind
 * watch caches fed by one backend stream (or poller) per kind.
 *
 * Served over HTTPS (HTTP/2 and HTTP/1.1) when given TLS files; every request is authenticated
 * first (client certificate, front proxy, bearer token) and carries its user from then on.
 */
import type { Rejection } from "../runtime/http-rejection.ts";
import { requestConnection, serveFetch, type FetchServer } from "../runtime/serve-fetch.ts";
import { checkUrlLength, limitRequestBody } from "./request-limits.ts";
import { createWatchAdmission } from "./watch-admission.ts";
import { isWatchRequest } from "./rest/watch-request.ts";
import type { BackendClient } from "./backend-client.ts";
import { createRestHandler } from "./rest/rest-handler.ts";
import { statusBody, statusError, statusResponse, StatusError, toStatus } from "./status.ts";
import type { WatchHub } from "./watch/watch-types.ts";
import type { ApiServerMetrics } from "./apiserver-metrics.ts";
import { createBackendReadiness, readyzResponse, type BackendReadiness } from "./backend-readiness.ts";
import type { Authorizer } from "./auth/authorizer.ts";
import type { AuditLog } from "./auth/audit-log.ts";
import type { Authenticate } from "./auth/authn.ts";
import type { ServingTls } from "./serving-tls.ts";

export interface ApiHandlerOptions {
  backend: BackendClient;
  watch: WatchHub;
  /** Extra routes tried before the REST routes. */
  extraRoutes?: (req: Request, url: URL) => Response | Promise<Response> | undefined;
  /** Serves /metrics and counts every request. */
  metrics?: ApiServerMetrics;
  /** Backs `/readyz` (default: a check of `backend` with a 2 s deadline, cached for 1 s). */
  readiness?: BackendReadiness;
  /** Size and concurrency limits (defaults: the configuration's). */
  limits?: Partial<ApiLimits>;
  /** Authorizes every Kubernetes API request (auth/authorizer-config.ts); absent = no authorization. */
  authorizer?: Authorizer;
  /** Audit log of mutating requests (auth/audit-log.ts); absent = none. */
  audit?: AuditLog;
  /** Authenticates every request before routing (absent = no authentication: plain-HTTP test stacks, `api.insecure`). */
  authenticate?: Authenticate;
}

/** The API server's limits (README: Configuration). */
export interface ApiLimits {
  maxRequestBodyBytes: number;
  maxUrlBytes: number;
  maxListLimit: number;
  maxWatches: number;
  maxWatchesPerClient: number;
  idleTimeoutMs: number;
}

/** The configuration's defaults; kube-apiserver's default body limit is 3 MiB. */
export const DEFAULT_API_LIMITS: ApiLimits = {
  maxRequestBodyBytes: 3 * 1024 * 1024,
  maxUrlBytes: 16 * 1024,
  maxListLimit: 10_000,
  maxWatches: 16_384,
  maxWatchesPerClient: 10_000,
  idleTimeoutMs: 60_000,
};

export type ApiHandler = (req: Request) => Promise<Response>;

export function createApiHandler(o: ApiHandlerOptions): ApiHandler {
  const limits = { ...DEFAULT_API_LIMITS, ...o.limits };
  const rest = createRestHandler({ backend: o.backend, watch: o.watch, maxListLimit: limits.maxListLimit, authorizer: o.authorizer, audit: o.audit });
  const admission = createWatchAdmission(limits);
  const readiness = o.readiness ?? createBackendReadiness(o.backend);
  const handler: ApiHandler = async (req) => {
    const url = new URL(req.url);
    try {
      const refused = o.authenticate?.(req, url, requestConnection(req));
      if (refused) return refused;
      if (url.pathname === "/readyz") return readyzResponse(url, [{ name: "backend", result: await readiness.check() }]);
      if (url.pathname === "/healthz" || url.pathname === "/livez") {
        return new Response("ok", { headers: { "content-type": "text/plain" } });
      }
      if (url.pathname === "/metrics" && o.metrics) {
        return new Response(o.metrics.render(), { headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8" } });
      }
      const extra = await o.extraRoutes?.(req, url);
      if (extra) return extra;
      checkUrlLength(url, limits.maxUrlBytes);
      if (isWatchRequest(req, url)) {
        const conn = requestConnection(req);
        const slot = admission.admit(conn.clientAddress, req);
        let res: Response | undefined;
        try {
          res = await rest(req, url);
        } finally {
          if (!res) slot.release();
        }
        if (res) {
          if (res.status !== 200) {
            slot.release();
            return res;
          }
          conn.keepOpen();
          return admission.hold(res, slot, req.signal);
        }
      } else {
        const res = await rest(limitRequestBody(req, limits.maxRequestBodyBytes), url);
        if (res) return res;
      }
      throw statusError.notFound("the server could not find the requested resource");
    } catch (e) {
      if (e instanceof StatusError) return statusResponse(e.status);
      return statusResponse(toStatus(e, { kind: "", plural: "" }));
    }
  };
  return o.metrics ? o.metrics.instrument(handler) : handler;
}

export interface ApiServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export interface ApiServerOptions extends ApiHandlerOptions {
  /** Serve HTTPS with these (reloading) files; absent = plain HTTP. */
  tls?: ServingTls;
  /** Share the port with other API-server workers (SO_REUSEPORT; runtime/api-workers.ts). */
  reusePort?: boolean;
}

/** What the HTTP layer refuses before routing is answered with a Status, like every other error. */
const statusRejection: Rejection = (code, message) => {
  const reason = code === 405 ? "MethodNotAllowed" : code === 431 ? "RequestHeaderFieldsTooLarge" : "BadRequest";
  return { contentType: "application/json", body: JSON.stringify(statusBody(code, reason, message)) };
};

export async function startApiServer(host: string, port: number, o: ApiServerOptions): Promise<ApiServer> {
  const handler = createApiHandler(o);
  const server: FetchServer = await serveFetch(host, port, handler, {
    idleTimeoutMs: o.limits?.idleTimeoutMs ?? DEFAULT_API_LIMITS.idleTimeoutMs,
    tls: o.tls?.material(),
    rejection: statusRejection,
    reusePort: o.reusePort,
  });
  o.tls?.onReload((m) => server.setTls?.(m));
  const display = host === "0.0.0.0" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  return {
    url: `${server.scheme}://${display}:${server.port}`,
    port: server.port,
    async close() {
      o.tls?.stop();
      await o.watch.close();
      await server.stop();
    },
  };
}
