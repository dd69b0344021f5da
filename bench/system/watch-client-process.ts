/**
 * The watch-client process: holds up to tens of thousands of raw watch connections to an API
 * server and counts (optionally timestamps) every event each one receives.
 *
 * It runs apart from the benchmark process so that parsing 100k+ deliveries per second does not
 * delay the writer's timers or the byte-counting proxy, and so its CPU can be read separately.
 * It is driven by JSON commands on stdin (one per line) and answers on stdout; it exits when
 * stdin closes, so it never outlives the benchmark. See watch-pool.ts for the other side.
 */
import { connect } from "node:net";
import { DeliveryLog, summarizeLatency, wallMs, type WriteAck } from "./latency.ts";
import { eventTypeChar, lineResourceVersion, WatchResponseReader } from "./chunked-ndjson.ts";
import { createLineSplitter } from "./line-splitter.ts";

export type ClientCommand =
  | { id: number; op: "open"; port: number; path: string; count: number; parallel: number }
  | { id: number; op: "mark"; track: boolean }
  | { id: number; op: "wait"; target: number; timeoutMs: number }
  | { id: number; op: "latency"; acks: WriteAck[] }
  | { id: number; op: "stats" }
  | { id: number; op: "closeAll" };

interface RawSocket {
  destroy(): void;
}

interface Watcher {
  sock: RawSocket;
  reader: WatchResponseReader;
  count: number;
  open: boolean;
}

const watchers: Watcher[] = [];
const log = new DeliveryLog();
let tracking = false;
/** Receipt time of the data being parsed (one clock read per socket read, not per line). */
let now = 0;
let target = Infinity;
let below = 0;
let allAt = 0;
let pendingWait: { id: number; timer: ReturnType<typeof setTimeout> } | undefined;
let events = 0;
/** Receipt time of the newest event (any watcher). */
let lastEventAt = 0;
let bookmarks = 0;
let errorLines = 0;
let lastError = "";
let unexpectedCloses = 0;
let lastClose = "";
let connectFailures = 0;
let lastConnectFailure = "";

function reply(msg: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(msg)}\n`);
}

function counts() {
  let min = Infinity;
  let max = 0;
  let open = 0;
  for (const w of watchers) {
    if (w.count < min) min = w.count;
    if (w.count > max) max = w.count;
    if (w.open) open++;
  }
  return { watchers: watchers.length, open, minCount: watchers.length ? min : 0, maxCount: max };
}

function stats() {
  const cpu = process.cpuUsage();
  return {
    ...counts(),
    events,
    bookmarks,
    errorLines,
    lastError,
    unexpectedCloses,
    lastClose,
    connectFailures,
    lastConnectFailure,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
}

function finishWait(ok: boolean): void {
  const w = pendingWait;
  if (!w) return;
  pendingWait = undefined;
  clearTimeout(w.timer);
  target = Infinity;
  reply({ id: w.id, ok: true, complete: ok, allAt: ok ? allAt : 0, below, ...stats() });
}

/**
 * The socket API underneath: Bun's native `Bun.connect` (default) or `node:net` (CLIENT_SOCKETS=node).
 * One process reads every watcher's socket in turn, so its cost per read shows up in every receipt
 * time after the first; the native sockets cost less per read than node:net's emulation, which made
 * the p99 at 100 watchers 4.0–4.5 ms against 4.5–8.3 ms (3 interleaved rounds each, same server).
 * Every server measured (the API server, the reference server) gets the same clients.
 */
const SOCKETS = process.env.CLIENT_SOCKETS === "node" ? "node" : "bun";

interface SocketEvents {
  connected(): string;
  data(d: Buffer): void;
  failed(message: string): void;
  closed(): void;
}

/** Connects to 127.0.0.1:port, sends the request returned by `connected`, reports the rest. */
function dial(port: number, ev: SocketEvents): RawSocket {
  if (SOCKETS === "bun") {
    let sock: { write(s: string): number; terminate(): void } | undefined;
    let dead = false;
    void Bun.connect({
      hostname: "127.0.0.1",
      port,
      socket: {
        open(s) {
          sock = s;
          if (dead) s.terminate();
          else s.write(ev.connected());
        },
        data: (_s, d) => ev.data(d),
        close: () => ev.closed(),
        error: (_s, e) => ev.failed(`socket error: ${e.message}`),
        connectError: (_s, e) => {
          ev.failed(`connect error: ${e.message}`);
          ev.closed();
        },
      },
    }).catch((e: unknown) => {
      ev.failed(`connect error: ${e instanceof Error ? e.message : String(e)}`);
      ev.closed();
    });
    return {
      destroy() {
        dead = true;
        sock?.terminate();
      },
    };
  }
  const sock = connect({ host: "127.0.0.1", port });
  sock.setNoDelay(true);
  sock.on("connect", () => sock.write(ev.connected()));
  sock.on("data", (d: Buffer) => ev.data(d));
  sock.on("error", (e) => ev.failed(`socket error: ${e.message}`));
  sock.on("close", () => ev.closed());
  return { destroy: () => sock.destroy() };
}

function openOne(port: number, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (err?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) {
        connectFailures++;
        lastConnectFailure = err;
        sock.destroy();
        reject(new Error(err));
      } else resolve();
    };
    const timer = setTimeout(() => settle("no response head within 30 s"), 30_000);
    const w: Watcher = {
      sock: { destroy: () => sock.destroy() },
      count: 0,
      open: false,
      reader: new WatchResponseReader(
        (buf, s, e) => {
          const t = eventTypeChar(buf, s);
          if (t === 65 || t === 77 || t === 68) {
            events++;
            lastEventAt = now;
            if (tracking) log.push(lineResourceVersion(buf, s, e), now);
            if (++w.count === target && --below === 0) {
              allAt = now;
              finishWait(true);
            }
          } else if (t === 66) bookmarks++;
          else {
            errorLines++;
            lastError = buf.toString("utf8", s, Math.min(e, s + 400));
          }
        },
        (status) => {
          if (status === 200) {
            w.open = true;
            watchers.push(w);
            settle();
          } else setTimeout(() => settle(`HTTP ${status}: ${w.reader.head.split("\r\n")[0]} ${w.reader.errorBody.slice(0, 300)}`), 50);
        },
      ),
    };
    const sock = dial(port, {
      connected: () => `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: application/json\r\nUser-Agent: netguard-bench\r\n\r\n`,
      data(d) {
        now = wallMs();
        w.reader.push(d);
      },
      failed(message) {
        if (!settled) settle(message);
      },
      closed() {
        if (!settled) settle("closed before the response head");
        if (w.open) {
          unexpectedCloses++;
          lastClose = w.reader.ended ? "server ended the response" : "connection closed by the server";
        }
        w.open = false;
      },
    });
  });
}

async function open(c: Extract<ClientCommand, { op: "open" }>) {
  const t0 = wallMs();
  let next = 0;
  let ok = 0;
  let failed = 0;
  const worker = async () => {
    while (next < c.count) {
      next++;
      try {
        await openOne(c.port, c.path);
        ok++;
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(c.parallel, c.count)) }, worker));
  return { opened: ok, failed, ms: wallMs() - t0, lastConnectFailure, ...counts() };
}

async function handle(c: ClientCommand): Promise<void> {
  try {
    switch (c.op) {
      case "open":
        reply({ id: c.id, ok: true, ...(await open(c)) });
        return;
      case "mark":
        for (const w of watchers) w.count = 0;
        events = bookmarks = errorLines = unexpectedCloses = 0; // diagnostics count from the mark too
        lastError = lastClose = "";
        log.clear();
        tracking = c.track;
        reply({ id: c.id, ok: true, ...stats() });
        return;
      case "wait": {
        if (pendingWait) finishWait(false);
        target = c.target;
        below = 0;
        for (const w of watchers) if (w.count < target) below++;
        if (below === 0) {
          target = Infinity;
          reply({ id: c.id, ok: true, complete: true, allAt: lastEventAt, below, ...stats() });
          return;
        }
        pendingWait = { id: c.id, timer: setTimeout(() => finishWait(false), c.timeoutMs) };
        return;
      }
      case "latency": {
        const open = watchers.filter((w) => w.open).length;
        reply({ id: c.id, ok: true, ...summarizeLatency(log, c.acks, open) });
        return;
      }
      case "stats":
        reply({ id: c.id, ok: true, ...stats() });
        return;
      case "closeAll":
        for (const w of watchers) {
          w.open = false; // intentional: not counted as an unexpected close
          w.sock.destroy();
        }
        watchers.length = 0;
        reply({ id: c.id, ok: true });
        return;
    }
  } catch (e) {
    reply({ id: c.id, ok: false, error: e instanceof Error ? e.message : String(e) });
  }
}

process.stdin.on(
  "data",
  createLineSplitter((line) => {
    if (line.trim()) void handle(JSON.parse(line) as ClientCommand);
  }),
);
process.stdin.on("end", () => process.exit(0));
process.on("SIGTERM", () => process.exit(0)); // a clean exit, so `--profile` gets its CPU profile

reply({ ready: true });
