/**
 * A TCP proxy that counts the bytes between a client and the backend, for the tests that check how
 * many bytes batched Watch messages take on the wire. Bytes are counted per direction at the TCP
 * level (HTTP/2 framing included); no parsing. (The system benchmark puts nothing on that hop and
 * reads the kernel's counters instead: bench/system/wire-counter.ts.)
 */
import { connect, createServer, type Server, type Socket } from "node:net";
import { onCleanup } from "../../bench/system/cleanup.ts";

export interface WireCounts {
  /** API server → backend (requests). */
  up: number;
  /** backend → API server (responses, stream messages). */
  down: number;
  /** Connections accepted so far. */
  connections: number;
}

export interface CountingProxy {
  readonly port: number;
  counts(): WireCounts;
  close(): Promise<void>;
}

/** Forwards `from` to `to`, counting into `add`; pauses `from` while `to` is full (backpressure). */
function pipeCounting(from: Socket, to: Socket, add: (n: number) => void): void {
  from.on("data", (d: Buffer) => {
    add(d.length);
    if (!to.write(d)) {
      from.pause();
      to.once("drain", () => from.resume());
    }
  });
  from.on("end", () => to.end());
}

/** Listens on 127.0.0.1 (free port) and forwards every connection to 127.0.0.1:targetPort. */
export async function startCountingProxy(targetPort: number): Promise<CountingProxy> {
  const c: WireCounts = { up: 0, down: 0, connections: 0 };
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    c.connections++;
    const upstream = connect({ host: "127.0.0.1", port: targetPort });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.setNoDelay(true);
      s.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
      s.on("close", () => {
        sockets.delete(s);
        (s === client ? upstream : client).destroy();
      });
    }
    pipeCounting(client, upstream, (n) => (c.up += n));
    pipeCounting(upstream, client, (n) => (c.down += n));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === "object" && addr ? addr.port : 0;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    unregister();
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  };
  const unregister = onCleanup(close);
  return { port, counts: () => ({ ...c }), close };
}
