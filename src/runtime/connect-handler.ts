/**
 * The Connect router as a node:http / node:http2 request handler (connect-node), for
 * `startConnectServer`. Core code (src/backend/backend.ts) describes the service, interceptors and
 * the non-RPC paths in runtime-neutral terms; only this file knows connect-node and the Node
 * request/response objects.
 */
import type { ConnectRouter, ConnectRouterOptions, ContextValues } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { tlsPeerOf, type RequestHandler, type TlsPeer } from "./connect-server.ts";

/** A request that matched no RPC, reduced to what its answer may depend on. */
export interface PlainRequest {
  /** The path without the query. */
  path: string;
  /** The `Authorization` header, if sent. */
  authorization?: string;
  /** The verified TLS client, on a TLS port. */
  peer?: TlsPeer;
}

/** A small text answer to a `PlainRequest`. */
export interface PlainAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The router's settings, with the peer-dependent parts expressed without Node types. */
export interface ConnectHandlerOptions extends ConnectRouterOptions {
  routes: (router: ConnectRouter) => void;
  /** Context values of each call, from the connection's TLS peer. */
  contextValues?: (peer: TlsPeer | undefined) => ContextValues;
  /** Answers every path that is not an RPC (health, metrics, 404). */
  fallback: (req: PlainRequest) => PlainAnswer;
}

/** Builds the handler: RPCs go to the router, everything else to `fallback`. */
export function createConnectHandler(o: ConnectHandlerOptions): RequestHandler {
  const { contextValues, fallback, ...router } = o;
  return connectNodeAdapter({
    ...router,
    contextValues: contextValues ? (req) => contextValues(tlsPeerOf(req)) : undefined,
    fallback(req, res) {
      const a = fallback({ path: (req.url ?? "").split("?")[0]!, authorization: req.headers.authorization, peer: tlsPeerOf(req) });
      res.writeHead(a.status, a.headers);
      res.end(a.body);
    },
  });
}
