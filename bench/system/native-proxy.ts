/**
 * A byte-counting TCP forwarder on Bun's native sockets (`Bun.listen`, `Bun.connect`), for tests
 * that check how many bytes batched Watch messages take on the wire (test/rpc/watch-batches,
 * test/apiserver/watch/backend-batches). Bytes are counted per direction as they arrive; no
 * parsing. A full receiver stops the sender (pause until drained), so nothing piles up in between.
 * The system benchmark puts nothing on the hop and reads the kernel's counters (wire-counter.ts).
 */
import type { Socket } from "bun";

export interface WireCounts {
  /** API server → backend (requests). */
  up: number;
  /** backend → API server (responses, stream messages). */
  down: number;
  /** Connections accepted so far. */
  connections: number;
}

export interface NativeProxy {
  readonly port: number;
  counts(): WireCounts;
  close(): void;
}

/** One direction of a proxied connection: bytes the receiver has not taken yet, in order. */
interface Direction {
  to?: Socket<Pair>;
  from?: Socket<Pair>;
  queued: Uint8Array[];
}

/** The two directions of one accepted connection. */
interface Pair {
  up: Direction;
  down: Direction;
  closed: boolean;
}

/** Writes what `d` holds for its receiver; pauses the sender while the receiver is full. */
function flushDirection(d: Direction): void {
  const to = d.to;
  if (!to) return;
  while (d.queued.length) {
    const chunk = d.queued[0]!;
    const n = to.write(chunk);
    if (n < chunk.byteLength) {
      d.queued[0] = chunk.slice(Math.max(0, n)); // a copy: the runtime may reuse the chunk's memory
      d.from?.pause();
      return;
    }
    d.queued.shift();
  }
  d.from?.resume();
}

function forward(d: Direction, chunk: Uint8Array): void {
  if (d.queued.length || !d.to) {
    d.queued.push(chunk.slice());
    flushDirection(d);
    return;
  }
  const n = d.to.write(chunk);
  if (n < chunk.byteLength) {
    d.queued.push(chunk.slice(Math.max(0, n)));
    d.from?.pause();
  }
}

/** Ends both sockets once either side is gone, after passing on what is still queued (if it fits). */
function closePair(p: Pair): void {
  if (p.closed) return;
  p.closed = true;
  flushDirection(p.up);
  flushDirection(p.down);
  p.up.from?.end();
  p.down.from?.end();
}

/** Listens on 127.0.0.1 (free port) and forwards every connection to 127.0.0.1:targetPort. */
export function listenCountingProxy(targetPort: number): NativeProxy {
  const c: WireCounts = { up: 0, down: 0, connections: 0 };
  const sockets = new Set<Socket<Pair>>();
  const server = Bun.listen<Pair>({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      open(client) {
        c.connections++;
        sockets.add(client);
        client.setNoDelay(true);
        const pair: Pair = { up: { from: client, queued: [] }, down: { to: client, queued: [] }, closed: false };
        client.data = pair;
        void Bun.connect<Pair>({
          hostname: "127.0.0.1",
          port: targetPort,
          data: pair,
          socket: {
            open(upstream) {
              sockets.add(upstream);
              upstream.setNoDelay(true);
              pair.up.to = upstream;
              pair.down.from = upstream;
              if (pair.closed) upstream.end();
              else flushDirection(pair.up);
            },
            data(_upstream, chunk) {
              c.down += chunk.byteLength;
              forward(pair.down, chunk);
            },
            drain: () => flushDirection(pair.up),
            close(upstream) {
              sockets.delete(upstream);
              closePair(pair);
            },
            error: () => closePair(pair),
            connectError: () => closePair(pair),
          },
        }).catch(() => closePair(pair));
      },
      data(client, chunk) {
        c.up += chunk.byteLength;
        forward(client.data.up, chunk);
      },
      drain: (client) => flushDirection(client.data.down),
      close(client) {
        sockets.delete(client);
        closePair(client.data);
      },
      error: (client) => closePair(client.data),
    },
  });
  const close = () => {
    server.stop(true);
    for (const s of sockets) s.terminate();
  };
  return { port: server.port, counts: () => ({ ...c }), close };
}
