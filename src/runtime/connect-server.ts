/**
 * One TCP port for Connect, gRPC and gRPC-Web, over HTTP/2 cleartext and HTTP/1.1.
 *
 * A plain net.Server looks at the first bytes of each connection: the HTTP/2 client preface goes
 * to a node:http2 server (the only server here that can send gRPC trailers), anything else to a
 * node:http server. Both run the same request handler. The node:* modules used here exist in Bun,
 * Deno and Node alike (see runtime-facts.md §2).
 */
import * as http from "node:http";
import * as http2 from "node:http2";
import * as net from "node:net";

const PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

export type RequestHandler = (
  req: http.IncomingMessage | http2.Http2ServerRequest,
  res: http.ServerResponse | http2.Http2ServerResponse,
) => void;

export interface ConnectServer {
  readonly host: string;
  readonly port: number;
  /** Stops accepting, waits up to graceMs for open requests, then cuts what is left. */
  close(graceMs?: number): Promise<void>;
}

export function startConnectServer(host: string, port: number, handler: RequestHandler): Promise<ConnectServer> {
  const h2 = http2.createServer({ settings: { maxConcurrentStreams: 100_000 } }, handler as never);
  const h1 = http.createServer(handler as never);
  h1.keepAliveTimeout = 65_000;
  h1.requestTimeout = 0;
  h1.headersTimeout = 60_000;
  const sessions = new Set<http2.ServerHttp2Session>();
  h2.on("session", (s) => {
    sessions.add(s);
    s.on("close", () => sessions.delete(s));
    s.on("error", () => undefined);
  });
  const sockets = new Set<net.Socket>();

  const tcp = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const n = Math.min(head.length, PREFACE.length);
      const isH2 = head.subarray(0, n).equals(PREFACE.subarray(0, n));
      if (isH2 && head.length < PREFACE.length) return; // partial preface: wait for more
      socket.off("data", onData);
      socket.pause();
      socket.unshift(head);
      (isH2 ? h2 : h1).emit("connection", socket);
      socket.resume();
    };
    socket.on("data", onData);
  });

  return new Promise((resolve, reject) => {
    tcp.once("error", reject);
    tcp.listen(port, host, () => {
      tcp.off("error", reject);
      const addr = tcp.address() as net.AddressInfo;
      resolve({
        host,
        port: addr.port,
        async close(graceMs = 2000) {
          tcp.close();
          for (const s of sessions) s.close();
          h1.close();
          const deadline = Date.now() + graceMs;
          while (sockets.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
          for (const s of sessions) s.destroy();
          h1.closeAllConnections?.();
          for (const s of sockets) s.destroy();
        },
      });
    });
  });
}
