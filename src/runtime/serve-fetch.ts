/**
 * Runs a web-standard fetch handler: Bun.serve on Bun, Deno.serve on Deno.
 *
 * Connections that do nothing are closed after `idleTimeoutMs` (Bun's idleTimeout, which also
 * covers a request line or headers that never complete); a handler keeps a long-lived response
 * (a watch) open by calling `keepOpen()` on the request's connection. Request bodies are limited
 * by the handler itself (it answers with a Status), so the runtime's own body cap is lifted.
 *
 * Limits of the runtimes that a handler cannot change: Bun's HTTP/1.1 parser closes the connection
 * on a method it does not know and answers a request line plus headers over its
 * `--max-http-header-size` (16 KiB unless given) with a bare 431; Deno.serve has no idle-timeout
 * setting (its `keepOpen` does nothing).
 *
 * With `tls`, both runtimes serve through node:http2's secure server instead (serve-fetch-tls.ts):
 * it is the only way a fetch handler learns the client certificate of its connection.
 */
import type { Rejection } from "./http-rejection.ts";
import { serveFetchTls, type TlsConnectionInfo, type TlsMaterial } from "./serve-fetch-tls.ts";

export type { TlsConnectionInfo, TlsMaterial } from "./serve-fetch-tls.ts";

export type FetchHandler = (req: Request) => Response | Promise<Response>;

/** What a handler may learn about and do with the connection a request came on. */
export interface FetchConnection {
  /** The client's IP address ("" when the runtime does not say). */
  readonly clientAddress: string;
  /** Exempts this request from the idle timeout (long-lived streaming responses). */
  keepOpen(): void;
  /** The TLS connection's client certificate state; undefined on plain HTTP. */
  readonly tls?: TlsConnectionInfo;
  /**
   * The runtime writes a `type: "direct"` ReadableStream body straight into this connection's
   * socket (Bun.serve), with no reader in between: what an idle streaming response costs least as.
   * Absent where bodies are read through a reader (serve-fetch-tls.ts, Deno.serve).
   */
  readonly directBodies?: boolean;
}

export interface FetchServerOptions {
  /** Idle/slow-header timeout; 0 or absent = none. Bun rounds it to whole seconds (max 255). */
  idleTimeoutMs?: number;
  /** Serve HTTPS (HTTP/2 by ALPN and HTTP/1.1) with this certificate, key and client CAs. */
  tls?: TlsMaterial;
  /** Bodies of answers given before the handler runs (unknown method, headers too large; HTTPS). */
  rejection?: Rejection;
  /**
   * Bind with SO_REUSEPORT, so several API-server workers (api-workers.ts) listen on one port and
   * the kernel spreads new connections over them. Linux; Deno.serve has no such option (ignored).
   */
  reusePort?: boolean;
}

export interface FetchServer {
  readonly port: number;
  /** "https" when serving TLS. */
  readonly scheme: "http" | "https";
  /** Replaces the TLS material for new connections (HTTPS servers only; open ones keep theirs). */
  setTls?(m: TlsMaterial): void;
  stop(): Promise<void>;
}

declare const Deno:
  | {
      serve(
        opts: { hostname: string; port: number; onListen?: (a: { port: number }) => void },
        handler: (req: Request, info: { remoteAddr: { hostname: string } }) => Response | Promise<Response>,
      ): { finished: Promise<void>; shutdown(): Promise<void>; addr: { port: number } };
    }
  | undefined;

const connections = new WeakMap<Request, FetchConnection>();
const NO_CONNECTION: FetchConnection = { clientAddress: "", keepOpen: () => undefined };

/** The connection of a request served here (a stand-in for requests made up elsewhere, e.g. in tests). */
export function requestConnection(req: Request): FetchConnection {
  return connections.get(req) ?? NO_CONNECTION;
}

export async function serveFetch(host: string, port: number, handler: FetchHandler, o: FetchServerOptions = {}): Promise<FetchServer> {
  if (o.tls) {
    const keepOpen = () => undefined;
    const server = await serveFetchTls(host, port, handler, o.tls, { idleTimeoutMs: o.idleTimeoutMs, rejection: o.rejection, reusePort: o.reusePort }, (req, ctx) =>
      connections.set(req, { clientAddress: ctx.clientAddress, keepOpen, tls: ctx.tls }),
    );
    return { port: server.port, scheme: "https", setTls: (m) => server.setTls(m), stop: () => server.stop() };
  }
  if (typeof Bun !== "undefined") {
    const idleTimeout = o.idleTimeoutMs ? Math.min(255, Math.max(1, Math.ceil(o.idleTimeoutMs / 1000))) : 0;
    const server = Bun.serve({
      hostname: host,
      port,
      idleTimeout,
      reusePort: o.reusePort === true,
      maxRequestBodySize: Number.MAX_SAFE_INTEGER,
      fetch(req, srv) {
        connections.set(req, { clientAddress: srv.requestIP(req)?.address ?? "", keepOpen: () => srv.timeout(req, 0), directBodies: true });
        return handler(req);
      },
    });
    return {
      port: server.port ?? port,
      scheme: "http",
      async stop() {
        await server.stop(true);
      },
    };
  }
  if (typeof Deno !== "undefined") {
    const server = Deno.serve({ hostname: host, port, onListen: () => undefined }, (req, info) => {
      connections.set(req, { clientAddress: info.remoteAddr.hostname, keepOpen: () => undefined });
      return handler(req);
    });
    return {
      port: server.addr.port,
      scheme: "http",
      async stop() {
        await server.shutdown();
      },
    };
  }
  throw new Error("serveFetch needs Bun or Deno");
}
