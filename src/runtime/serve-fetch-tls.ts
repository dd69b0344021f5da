/**
 * HTTPS for a web-standard fetch handler, through node:http2's secure server (HTTP/2 by ALPN "h2",
 * which kubectl uses, and HTTP/1.1 on the same port). Bun.serve and Deno.serve cannot tell a fetch
 * handler which client certificate a connection presented; node:tls can (`getPeerCertificate`),
 * and it behaves the same on Bun and Deno. Client certificates are requested but a connection
 * without one, or with one the CAs do not sign, is still served: authentication decides (as
 * kube-apiserver's `VerifyClientCertIfGiven`), and the handler learns the verified certificate.
 *
 * The certificate, key and client CAs can be replaced while serving (`setTls`): new connections
 * get the new ones; open connections, and the watches on them, are left alone.
 *
 * A connection with no request in flight for `idleTimeoutMs` (or whose TLS handshake does not
 * complete in that time) is closed; a request in flight — a watch — never times out here, so
 * `keepOpen` has nothing to do.
 */
import http2 from "node:http2";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import { methodKept, plainRejection, rawHttp1Rejection, type Rejection } from "./http-rejection.ts";
import { readPeerCertificate, type PeerCertificate } from "./peer-certificate.ts";

/** PEM contents the TLS server uses. */
export interface TlsMaterial {
  cert: string;
  key: string;
  /** CAs that sign client certificates (PEM bundle); absent = no client certificate is requested. */
  clientCa?: string;
}

/** What a request learns about its TLS connection. */
export interface TlsConnectionInfo {
  /** The client's certificate chain verified against `clientCa` at the handshake. */
  readonly authorized: boolean;
  /** The client's certificate, when it sent one (verified or not: see `authorized`). */
  readonly peer?: PeerCertificate;
}

export interface TlsRequestContext {
  clientAddress: string;
  tls: TlsConnectionInfo;
}

type Http2Request = IncomingMessage & { stream?: { session?: object }; socket: Socket };
type Handler = (req: Request) => Response | Promise<Response>;

const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "upgrade", "proxy-connection", "http2-settings"]);

interface ConnState {
  inflight: number;
  timer?: ReturnType<typeof setTimeout>;
  close(): void;
}

function secureContextOptions(m: TlsMaterial) {
  return { cert: m.cert, key: m.key, ...(m.clientCa ? { ca: m.clientCa } : {}) };
}

function requestUrl(req: Http2Request, fallbackHost: string): URL {
  const authority = (req.headers[":authority"] as string | undefined) ?? req.headers.host ?? fallbackHost;
  try {
    return new URL(req.url ?? "/", `https://${authority}`);
  } catch {
    return new URL(req.url?.startsWith("/") ? req.url : "/", `https://${fallbackHost}`);
  }
}

function requestHeaders(req: Http2Request): Headers {
  const h = new Headers();
  const raw = req.rawHeaders ?? [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.startsWith(":")) continue;
    try {
      h.append(name, raw[i + 1]!);
    } catch {
      // A header name or value the fetch API refuses is dropped, as a proxy would.
    }
  }
  return h;
}

function requestBody(req: Http2Request): ReadableStream<Uint8Array> {
  let done = false;
  return new ReadableStream<Uint8Array>(
    {
      start(c) {
        req.on("data", (chunk: Uint8Array) => {
          if (done) return;
          c.enqueue(new Uint8Array(chunk));
          if ((c.desiredSize ?? 0) <= 0) req.pause();
        });
        req.on("end", () => {
          if (!done) c.close();
          done = true;
        });
        req.on("error", (e) => {
          if (!done) c.error(e);
          done = true;
        });
        req.pause();
      },
      pull() {
        req.resume();
      },
      cancel() {
        done = true;
        req.destroy();
      },
    },
    { highWaterMark: 4 },
  );
}

async function writeResponse(res: ServerResponse, r: Response, head: boolean): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  r.headers.forEach((v, k) => {
    if (!HOP_BY_HOP.has(k) && k !== "set-cookie") headers[k] = v;
  });
  const cookies = r.headers.getSetCookie();
  if (cookies.length) headers["set-cookie"] = cookies;
  res.writeHead(r.status, headers);
  if (!r.body || head) {
    res.end();
    await r.body?.cancel().catch(() => undefined);
    return;
  }
  const reader = r.body.getReader();
  const onClose = () => void reader.cancel().catch(() => undefined);
  res.once("close", onClose);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (res.destroyed) return;
      if (!res.write(value)) {
        await new Promise<void>((resolve) => {
          const go = () => {
            res.off("drain", go);
            res.off("close", go);
            resolve();
          };
          res.on("drain", go);
          res.on("close", go);
        });
      }
    }
    if (!res.destroyed) res.end();
  } catch {
    res.destroy();
  } finally {
    res.off("close", onClose);
  }
}

/** The running HTTPS server. */
export interface TlsFetchServer {
  readonly port: number;
  /** Replaces certificate, key and client CAs for new connections. */
  setTls(m: TlsMaterial): void;
  stop(): Promise<void>;
}

/**
 * Serves `handler` over HTTPS (h2 and HTTP/1.1). `bind` is called for each request before the
 * handler, with what the connection knows (client address, TLS peer).
 */
export function serveFetchTls(
  host: string,
  port: number,
  handler: Handler,
  material: TlsMaterial,
  o: { idleTimeoutMs?: number; rejection?: Rejection; reusePort?: boolean },
  bind: (req: Request, ctx: TlsRequestContext) => void,
): Promise<TlsFetchServer> {
  const idleMs = o.idleTimeoutMs ?? 0;
  const rejection = o.rejection ?? plainRejection;
  const reject = (res: ServerResponse, code: number, message: string) => {
    const { contentType, body } = rejection(code, message);
    res.writeHead(code, { "content-type": contentType });
    res.end(body);
  };
  const states = new Map<object, ConnState>();
  const rawSockets = new Set<Socket>();
  const track = (key: object, close: () => void): ConnState => {
    const s: ConnState = { inflight: 0, close };
    states.set(key, s);
    arm(s);
    return s;
  };
  const arm = (s: ConnState) => {
    if (s.timer) clearTimeout(s.timer);
    s.timer = undefined;
    if (idleMs > 0 && s.inflight === 0) s.timer = setTimeout(() => s.close(), idleMs);
  };

  const server = http2.createSecureServer({
    ...secureContextOptions(material),
    allowHTTP1: true,
    // Long URLs and headers reach the handler, which answers them with its own limits (414/431)
    // instead of the HTTP/2 layer resetting the stream without a word. Bun 1.4's HTTP/2 server
    // still refuses a header block much above 64 KB (REFUSED_STREAM) whatever this says.
    settings: { maxHeaderListSize: 1 << 20 },
    requestCert: true,
    rejectUnauthorized: false,
    ...(idleMs > 0 ? { handshakeTimeout: idleMs } : {}),
  });

  // HTTP/1.1 requests the parser refuses (an unknown method, oversized headers) get an answer in
  // the server's own format before the socket closes, rather than a bare 400 or a reset.
  server.on("clientError", (err: Error & { code?: string }, sock: Socket) => {
    if (!sock.writable) return sock.destroy();
    const [code, reason, message] =
      err.code === "HPE_INVALID_METHOD"
        ? ([405, "Method Not Allowed", "the server does not allow this method"] as const)
        : err.code === "HPE_HEADER_OVERFLOW"
          ? ([431, "Request Header Fields Too Large", "the request's headers are too large"] as const)
          : ([400, "Bad Request", "the request could not be parsed"] as const);
    sock.end(rawHttp1Rejection(rejection, code, reason, message));
  });

  server.on("connection", (sock: Socket) => {
    rawSockets.add(sock);
    sock.once("close", () => rawSockets.delete(sock));
  });
  server.on("secureConnection", (sock: TLSSocket) => {
    if (sock.alpnProtocol === "h2") return; // tracked by its session
    const s = track(sock, () => sock.destroy());
    sock.once("close", () => {
      if (s.timer) clearTimeout(s.timer);
      states.delete(sock);
    });
  });
  server.on("session", (session: http2.ServerHttp2Session) => {
    const s = track(session, () => session.destroy());
    session.once("close", () => {
      if (s.timer) clearTimeout(s.timer);
      states.delete(session);
    });
  });

  const infoCache = new WeakMap<object, TlsConnectionInfo>();
  const connectionInfo = (key: object, sock: Socket): TlsConnectionInfo => {
    let info = infoCache.get(key);
    if (!info) {
      const t = sock as unknown as TLSSocket;
      info = { authorized: t.authorized === true, peer: readPeerCertificate(t) };
      infoCache.set(key, info);
    }
    return info;
  };

  server.on("request", (nreq: Http2Request, res: ServerResponse) => {
    const key: object = nreq.stream?.session ?? nreq.socket;
    const state = states.get(key);
    if (state) {
      state.inflight++;
      arm(state);
    }
    let released = false;
    const ac = new AbortController();
    res.once("close", () => {
      if (!res.writableFinished) ac.abort();
      if (state && !released) {
        released = true;
        state.inflight--;
        arm(state);
      }
    });
    const method = nreq.method ?? "GET";
    let req: Request;
    try {
      const hasBody = method !== "GET" && method !== "HEAD";
      req = new Request(requestUrl(nreq, host).href, {
        method,
        headers: requestHeaders(nreq),
        signal: ac.signal,
        ...(hasBody ? { body: requestBody(nreq), duplex: "half" } : {}),
      } as RequestInit);
    } catch {
      reject(res, 400, "the request could not be parsed");
      return;
    }
    if (!methodKept(method, req)) {
      reject(res, 405, `the server does not allow this method: ${method.slice(0, 32)}`);
      return;
    }
    bind(req, { clientAddress: nreq.socket?.remoteAddress ?? "", tls: connectionInfo(key, nreq.socket) });
    void (async () => {
      let r: Response;
      try {
        r = await handler(req);
      } catch {
        r = new Response("internal error", { status: 500 });
      }
      if (res.destroyed) {
        await r.body?.cancel().catch(() => undefined);
        return;
      }
      await writeResponse(res, r, method === "HEAD");
    })();
  });

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    // reusePort: SO_REUSEPORT, one port shared by several API-server workers (serve-fetch.ts).
    server.listen({ port, host, reusePort: o.reusePort === true }, () => {
      server.off("error", reject);
      const addr = server.address();
      resolve({
        port: typeof addr === "object" && addr ? addr.port : port,
        setTls(m) {
          server.setSecureContext(secureContextOptions(m));
        },
        async stop() {
          const closed = new Promise<void>((r) => server.close(() => r()));
          for (const s of states.values()) {
            if (s.timer) clearTimeout(s.timer);
            s.close();
          }
          for (const sock of rawSockets) sock.destroy();
          await closed;
        },
      });
    });
  });
}
