/**
 * A separate plain-HTTP listener that serves only GET /metrics. When a server's main port demands
 * credentials, Prometheus can still scrape without them here; bind it to loopback (or a pod-local
 * address) so that the address itself is the access control. Anything else answers 404.
 */
import * as http from "node:http";
import type * as net from "node:net";

export interface MetricsListener {
  readonly host: string;
  readonly port: number;
  /** "http://host:port/metrics". */
  readonly url: string;
  close(): Promise<void>;
}

/** Starts the listener; `render` returns the Prometheus text exposition. */
export function startMetricsListener(host: string, port: number, render: () => string): Promise<MetricsListener> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? "").split("?")[0];
    if (path !== "/metrics") {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found: this address serves only /metrics\n");
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { "content-type": "text/plain", allow: "GET, HEAD" });
      res.end("method not allowed\n");
      return;
    }
    res.writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" });
    res.end(req.method === "HEAD" ? undefined : render());
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.keepAliveTimeout = 5_000;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      const a = server.address() as net.AddressInfo;
      const shown = host.includes(":") ? `[${host}]` : host === "0.0.0.0" ? "127.0.0.1" : host;
      resolve({
        host,
        port: a.port,
        url: `http://${shown}:${a.port}/metrics`,
        close: () =>
          new Promise<void>((r) => {
            server.close(() => r());
            server.closeAllConnections?.();
          }),
      });
    });
  });
}
