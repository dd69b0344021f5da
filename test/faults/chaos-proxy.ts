/**
 * A TCP proxy on loopback that damages the traffic between an API server and the backend on
 * command: `cut()` drops every connection (both sides see a reset), `stall(ms)` holds all bytes for
 * a while (the sockets stay open: a frozen network), `setDelay(ms)` delays every chunk by that much
 * (order kept). `runChaos` drives it from a seeded PRNG. Bytes are never altered, reordered or
 * dropped on a connection that stays up — only whole connections are cut.
 */
import { connect, createServer, type Server, type Socket } from "node:net";
import type { SeededRandom } from "./seeded-random.ts";

/** What the proxy did, for the report. */
export interface ChaosCounts {
  connections: number;
  cuts: number;
  connectionsCut: number;
  stalls: number;
  delays: number;
}

export interface ChaosProxy {
  readonly port: number;
  /** Where new connections go (can change, e.g. after a restart on another port). */
  targetPort: number;
  counts(): ChaosCounts;
  cut(): void;
  stall(ms: number): void;
  setDelay(ms: number): void;
  close(): Promise<void>;
}

const HIGH_WATER = 1 << 20;
const LOW_WATER = 1 << 18;

interface Lane {
  queue: { buf: Buffer; at: number }[];
  bytes: number;
  ended: boolean;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/** Starts the proxy on 127.0.0.1 (free port) forwarding to 127.0.0.1:targetPort. */
export async function startChaosProxy(targetPort: number): Promise<ChaosProxy> {
  const counts: ChaosCounts = { connections: 0, cuts: 0, connectionsCut: 0, stalls: 0, delays: 0 };
  const pairs = new Set<[Socket, Socket]>();
  const pumps = new Set<() => void>();
  let stalledUntil = 0;
  let delayMs = 0;

  /** Moves bytes from `from` to `to` through a lane that honours stall and delay. */
  const lane = (from: Socket, to: Socket): void => {
    const l: Lane = { queue: [], bytes: 0, ended: false, timer: undefined };
    const pump = () => {
      if (l.timer) clearTimeout(l.timer);
      l.timer = undefined;
      if (to.destroyed) return;
      const now = Date.now();
      if (stalledUntil > now && l.queue.length) {
        l.timer = setTimeout(pump, stalledUntil - now);
        return;
      }
      while (l.queue.length && l.queue[0]!.at <= now) {
        const { buf } = l.queue.shift()!;
        l.bytes -= buf.length;
        to.write(buf);
      }
      if (l.queue.length) l.timer = setTimeout(pump, l.queue[0]!.at - now);
      else if (l.ended) to.end();
      if (from.isPaused() && l.bytes < LOW_WATER) from.resume();
    };
    pumps.add(pump);
    from.on("data", (buf: Buffer) => {
      l.queue.push({ buf, at: Date.now() + delayMs });
      l.bytes += buf.length;
      if (l.bytes > HIGH_WATER) from.pause();
      if (!l.timer) pump();
    });
    from.on("end", () => {
      l.ended = true;
      if (!l.timer) pump();
    });
    from.on("close", () => {
      pumps.delete(pump);
      if (l.timer) clearTimeout(l.timer);
    });
  };

  const server: Server = createServer((client) => {
    counts.connections++;
    const upstream = connect({ host: "127.0.0.1", port: proxy.targetPort });
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    for (const s of pair) {
      s.setNoDelay(true);
      s.on("error", () => undefined);
      s.on("close", () => {
        pairs.delete(pair);
        client.destroy();
        upstream.destroy();
      });
    }
    lane(client, upstream);
    lane(upstream, client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === "object" && addr ? addr.port : 0;

  const proxy: ChaosProxy = {
    port,
    targetPort,
    counts: () => ({ ...counts }),
    cut() {
      counts.cuts++;
      for (const [a, b] of [...pairs]) {
        counts.connectionsCut++;
        a.resetAndDestroy();
        b.resetAndDestroy();
      }
    },
    stall(ms) {
      counts.stalls++;
      stalledUntil = Math.max(stalledUntil, Date.now() + ms);
    },
    setDelay(ms) {
      if (ms > 0) counts.delays++;
      delayMs = ms;
      if (ms === 0) for (const p of pumps) p();
    },
    async close() {
      for (const [a, b] of [...pairs]) {
        a.destroy();
        b.destroy();
      }
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  return proxy;
}

/**
 * Damages the proxy's traffic at random until `signal` aborts: every 0.3–1.5 s one of cut, stall
 * (0.2–2 s) or a delay (5–80 ms per chunk, for the next interval). Decisions come from `rng`.
 */
export async function runChaos(proxy: ChaosProxy, rng: SeededRandom, signal: AbortSignal): Promise<void> {
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      signal.addEventListener("abort", () => (clearTimeout(t), resolve()), { once: true });
    });
  while (!signal.aborted) {
    const action = rng.pick(["cut", "stall", "delay", "delay"] as const);
    const wait = rng.int(300, 1500);
    if (action === "cut") proxy.cut();
    else if (action === "stall") proxy.stall(rng.int(200, 2000));
    else proxy.setDelay(rng.int(5, 80));
    await sleep(wait);
    proxy.setDelay(0);
  }
  proxy.setDelay(0);
}
