/**
 * A gRPC transport over one node:http2 client session (connect-node), for the API server's backend
 * client (src/apiserver/backend-client.ts). The client decides when to open a session (for example
 * after the TLS material rotated) and when to drop them all; it never sees connect-node itself.
 */
import type { Interceptor, Transport } from "@connectrpc/connect";
import { compressionGzip, createGrpcTransport, Http2SessionManager } from "@connectrpc/connect-node";
import type { Registry } from "@bufbuild/protobuf";

/** What one backend session needs. */
export interface GrpcSessionOptions {
  /** PING interval while calls or streams are open. */
  pingIntervalMs: number;
  /** A PING not answered within this drops the connection and its streams. */
  pingTimeoutMs: number;
  /** PEM material: `ca` verifies the server, `cert`/`key` are the client certificate. */
  tls?: { ca?: string; cert?: string; key?: string };
  /** Registry for JSON and Any. */
  registry: Registry;
  interceptors: Interceptor[];
}

/** A transport and the way to drop its HTTP/2 connection (a later call opens a new one). */
export interface GrpcSession {
  transport: Transport;
  abort(): void;
}

/** Opens (lazily, on the first call) an HTTP/2 gRPC session to `url`. */
export function createGrpcSession(url: string, o: GrpcSessionOptions): GrpcSession {
  const sessionManager = new Http2SessionManager(
    url,
    { pingIntervalMs: o.pingIntervalMs, pingTimeoutMs: o.pingTimeoutMs },
    o.tls ? { ca: o.tls.ca, cert: o.tls.cert, key: o.tls.key } : undefined,
  );
  return {
    transport: createGrpcTransport({
      baseUrl: url,
      jsonOptions: { registry: o.registry },
      sessionManager,
      interceptors: o.interceptors,
      // Answers (Lists, batched Watch messages) come gzipped from 1 KiB on; gzip only, not brotli,
      // which the default also offers and which costs the backend far more CPU per byte.
      acceptCompression: [compressionGzip],
    }),
    abort: () => sessionManager.abort(),
  };
}
