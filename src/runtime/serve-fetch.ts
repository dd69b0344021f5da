/**
 * Runs a web-standard fetch handler: Bun.serve on Bun, Deno.serve on Deno. Watches stream for
 * hours, so idle cut-offs are disabled (Bun's default 10 s would kill quiet watches).
 */
export type FetchHandler = (req: Request) => Response | Promise<Response>;

export interface FetchServer {
  readonly port: number;
  stop(): Promise<void>;
}

declare const Deno:
  | {
      serve(
        opts: { hostname: string; port: number; onListen?: (a: { port: number }) => void },
        handler: FetchHandler,
      ): { finished: Promise<void>; shutdown(): Promise<void>; addr: { port: number } };
    }
  | undefined;

export async function serveFetch(host: string, port: number, handler: FetchHandler): Promise<FetchServer> {
  if (typeof Bun !== "undefined") {
    const server = Bun.serve({ hostname: host, port, idleTimeout: 0, fetch: handler });
    return {
      port: server.port ?? port,
      async stop() {
        await server.stop(true);
      },
    };
  }
  if (typeof Deno !== "undefined") {
    const server = Deno.serve({ hostname: host, port, onListen: () => undefined }, handler);
    return {
      port: server.addr.port,
      async stop() {
        await server.shutdown();
      },
    };
  }
  throw new Error("serveFetch needs Bun or Deno");
}
