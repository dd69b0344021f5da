/**
 * One TCP port for Connect, gRPC and gRPC-Web, over HTTP/2 cleartext and HTTP/1.1.
 *
 * A plain net.Server looks at the first bytes of each connection: the HTTP/2 client preface goes
 * to a node:http2 server (the only server here that can send gRPC trailers), anything else to a
 * node:http server. Both run the same request handler. The node:* modules used here exist in Bun,
 * Deno and Node alike (test/e2e/deno-smoke.test.ts runs this server under Deno).
 *
 * Every connection passes a ConnectionGuard: a cap on open connections, and header and idle timers
 * that close sockets doing nothing (never one with a request or stream in flight). A request line
 * the HTTP/1.1 parser refuses gets a status line before the socket closes (431 for oversized
 * headers, 405 for an unknown method, else 400) instead of a silent close.
 *
 * With `tls`, each accepted socket is wrapped in a server-side TLSSocket first (ALPN h2 or
 * http/1.1; no ALPN falls back to the preface sniffing), built from the secure context current at
 * accept time: a rotated certificate reaches new connections while open ones, and their watch
 * streams, carry on. The client certificate, if any, is remembered per connection (`tlsPeerOf`).
 */
import * as http from "node:http";
import * as http2 from "node:http2";
import * as net from "node:net";
import * as tls from "node:tls";
import { createConnectionGuard, type ConnectionLimits, type ConnectionStats, type GuardedConnection } from "./connection-guard.ts";

const PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

export type RequestHandler = (
  req: http.IncomingMessage | http2.Http2ServerRequest,
  res: http.ServerResponse | http2.Http2ServerResponse,
) => void;

/** What the TLS handshake proved about the client (plain data, for authentication outside the runtime). */
export interface TlsPeer {
  /** A client certificate was presented and verified against the configured client CA. */
  authorized: boolean;
  /** A certificate was presented (verified or not). */
  presented: boolean;
  /** Why verification failed (OpenSSL's code), when a certificate was presented but not verified. */
  error?: string;
  /** Subject common name: the user. */
  commonName?: string;
  /** Subject organizations: the groups. */
  organizations: string[];
}

/** TLS settings of the port; `secureContext` is asked on every accepted connection (rotation). */
export interface ConnectServerTls {
  secureContext(): tls.SecureContext;
  /** Ask clients for a certificate (verified against the context's CA; unverified ones are still let through, marked). */
  requestCert: boolean;
}

const peers = new WeakMap<object, TlsPeer>();

/**
 * The TLS peer of a request served by `startConnectServer` with `tls`; undefined for plaintext.
 * Keyed by the HTTP/1.1 socket or the HTTP/2 session, never by the (proxied) socket of a stream.
 */
export function tlsPeerOf(req: http.IncomingMessage | http2.Http2ServerRequest): TlsPeer | undefined {
  const stream = (req as http2.Http2ServerRequest).stream as http2.ServerHttp2Stream | undefined;
  return stream?.session ? peers.get(stream.session) : peers.get(req.socket);
}

function readPeer(t: tls.TLSSocket): TlsPeer {
  const cert = t.getPeerCertificate?.() as tls.PeerCertificate | undefined;
  const presented = !!cert && !!cert.subject && Object.keys(cert.subject).length > 0;
  const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
  const subject = (presented ? cert!.subject : {}) as unknown as Record<string, string | string[] | undefined>;
  const cn = list(subject.CN)[0];
  return {
    authorized: presented && t.authorized === true,
    presented,
    error: presented && !t.authorized ? String(t.authorizationError ?? "unverified") : undefined,
    commonName: cn,
    organizations: list(subject.O),
  };
}

export interface ConnectServer {
  readonly host: string;
  readonly port: number;
  /** Open, rejected and timed-out connections (for metrics). */
  readonly connections: ConnectionStats;
  /** Stops accepting, waits up to graceMs for open requests, then cuts what is left. */
  close(graceMs?: number): Promise<void>;
}

/** Defaults when the caller gives no limits (the configuration's defaults). */
export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = { maxConnections: 4096, headerTimeoutMs: 10_000, idleTimeoutMs: 120_000 };

/** The status line for an HTTP/1.1 parse error: what the client did wrong, never a bare close. */
function parseErrorResponse(code: string | undefined): string {
  const [status, text] =
    code === "HPE_HEADER_OVERFLOW" ? [431, "Request Header Fields Too Large"] : code === "HPE_INVALID_METHOD" ? [405, "Method Not Allowed"] : [400, "Bad Request"];
  const body = `${status} ${text}\n`;
  return `HTTP/1.1 ${status} ${text}\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`;
}

export function startConnectServer(
  host: string,
  port: number,
  handler: RequestHandler,
  limits: ConnectionLimits = DEFAULT_CONNECTION_LIMITS,
  tlsOptions?: ConnectServerTls,
): Promise<ConnectServer> {
  const guard = createConnectionGuard(limits);
  const h2 = http2.createServer({ settings: { maxConcurrentStreams: 100_000 } }, handler as never);
  const h1 = http.createServer(handler as never);
  // The guard's timers do this job (Bun ignores these on handed-over sockets); Node would apply them too.
  h1.keepAliveTimeout = limits.idleTimeoutMs;
  h1.requestTimeout = 0;
  h1.headersTimeout = limits.headerTimeoutMs;
  const conns = new WeakMap<object, GuardedConnection>();
  h1.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
    const conn = conns.get(req.socket);
    if (!conn) return;
    conn.begin();
    let ended = false;
    const end = () => {
      if (!ended) (ended = true), conn.end();
    };
    res.once("finish", end);
    res.once("close", end);
  });
  h1.on("clientError", (err: NodeJS.ErrnoException, socket: net.Socket) => {
    if (socket.writable) socket.end(parseErrorResponse(err.code));
    else socket.destroy();
  });
  const sessions = new Set<http2.ServerHttp2Session>();
  let handingOver: GuardedConnection | undefined;
  let handingOverPeer: TlsPeer | undefined;
  h2.on("session", (s) => {
    sessions.add(s);
    s.on("close", () => sessions.delete(s));
    s.on("error", () => undefined);
    const conn = handingOver;
    if (!conn) return;
    conns.set(s, conn);
    if (handingOverPeer) peers.set(s, handingOverPeer);
    conn.onTimeout(() => {
      s.close(); // GOAWAY: nothing is in flight
      setTimeout(() => s.destroy(), 1000).unref?.();
    });
    s.once("remoteSettings", () => conn.ready());
  });
  h2.on("stream", (stream: http2.ServerHttp2Stream) => {
    const conn = conns.get(stream.session as object);
    if (!conn) return;
    conn.begin();
    stream.once("close", () => conn.end());
  });
  const sockets = new Set<net.Socket>();

  /** Hands a (plain or TLS) socket to the HTTP/2 or the HTTP/1.1 server. */
  const handOver = (socket: net.Socket, conn: GuardedConnection, isH2: boolean, peer: TlsPeer | undefined) => {
    if (isH2) {
      handingOver = conn;
      handingOverPeer = peer;
      h2.emit("connection", socket);
      handingOver = undefined;
      handingOverPeer = undefined;
    } else {
      conns.set(socket, conn);
      if (peer) peers.set(socket, peer);
      h1.emit("connection", socket);
    }
  };
  /** No ALPN decision (plaintext, or a TLS client without ALPN): look at the first bytes. */
  const sniff = (socket: net.Socket, conn: GuardedConnection, peer: TlsPeer | undefined) => {
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const n = Math.min(head.length, PREFACE.length);
      const isH2 = head.subarray(0, n).equals(PREFACE.subarray(0, n));
      if (isH2 && head.length < PREFACE.length) return; // partial preface: wait for more (the header timer runs)
      socket.off("data", onData);
      socket.pause();
      socket.unshift(head);
      handOver(socket, conn, isH2, peer);
      socket.resume();
    };
    socket.on("data", onData);
  };

  const tcp = net.createServer((socket) => {
    socket.on("error", () => undefined);
    const conn = guard.accept(socket);
    if (!conn) return;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    if (!tlsOptions) return sniff(socket, conn, undefined);
    let secure: tls.TLSSocket;
    try {
      secure = new tls.TLSSocket(socket, {
        isServer: true,
        secureContext: tlsOptions.secureContext(),
        ALPNProtocols: ["h2", "http/1.1"],
        requestCert: tlsOptions.requestCert,
        rejectUnauthorized: false,
      } as tls.TLSSocketOptions);
    } catch {
      socket.destroy();
      return;
    }
    secure.on("error", () => socket.destroy()); // failed handshake: the header timer would close it anyway
    secure.once("secure", () => {
      const peer = readPeer(secure);
      if (secure.alpnProtocol === "h2") handOver(secure, conn, true, peer);
      else if (secure.alpnProtocol === "http/1.1") handOver(secure, conn, false, peer);
      else sniff(secure, conn, peer);
    });
  });

  return new Promise((resolve, reject) => {
    tcp.once("error", reject);
    tcp.listen(port, host, () => {
      tcp.off("error", reject);
      const addr = tcp.address() as net.AddressInfo;
      resolve({
        host,
        port: addr.port,
        connections: guard.stats,
        async close(graceMs = 2000) {
          tcp.close();
          for (const s of sessions) s.close();
          h1.close();
          h1.closeIdleConnections?.();
          // Wait for the open connections to finish, woken by their "close" events, never longer
          // than graceMs: then whatever is left is cut, so a close can never hang on a peer.
          if (sockets.size > 0 && graceMs > 0) {
            await new Promise<void>((resolve) => {
              const finish = () => {
                clearTimeout(timer);
                for (const s of waiting) s.off("close", check);
                resolve();
              };
              const check = () => {
                if (sockets.size === 0) finish();
              };
              const timer = setTimeout(finish, graceMs);
              const waiting = [...sockets];
              for (const s of waiting) s.once("close", check);
            });
          }
          for (const s of sessions) s.destroy();
          h1.closeAllConnections?.();
          for (const s of sockets) s.destroy();
        },
      });
    });
  });
}
