/**
 * The reference watch server: the cheapest fan-out this runtime can do, to calibrate the API
 * server's figures against. A raw `Bun.listen` HTTP/1.1 server that answers any request with a
 * chunked 200 and then, on command, writes ~1 KB NDJSON events (shaped like the API server's
 * MODIFIED lines) to every connection, one framed chunk per event, one socket write each — no
 * backend, no cache, no ReadableStream. Its latency (emit → client receipt) is the floor that the
 * same client, on the same two cores, can measure for that many watchers.
 *
 * Driven over stdin/stdout like the watch-client process: `{"op":"run","count":N,"rate":R}` answers
 * with the emit times, which the client matches by resourceVersion.
 */
import type { Socket } from "bun";
import { wallMs, type WriteAck } from "./latency.ts";
import { createLineSplitter } from "./line-splitter.ts";

const port = Number(process.argv[2]);
const HEAD = Buffer.from("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncache-control: no-cache, private\r\ntransfer-encoding: chunked\r\n\r\n1\r\n\n\r\n");

interface Conn {
  head: string;
  live: boolean;
  /** Bytes the kernel did not take yet (written on drain). */
  backlog: Buffer[];
}

const live = new Set<Socket<Conn>>();

function send(s: Socket<Conn>, b: Buffer): void {
  if (s.data.backlog.length) {
    s.data.backlog.push(b);
    return;
  }
  const n = s.write(b);
  if (n < b.length) s.data.backlog.push(b.subarray(Math.max(0, n)));
}

Bun.listen<Conn>({
  hostname: "127.0.0.1",
  port,
  socket: {
    open(s) {
      s.data = { head: "", live: false, backlog: [] };
    },
    data(s, d) {
      if (s.data.live) return;
      s.data.head += d.toString("latin1");
      if (!s.data.head.includes("\r\n\r\n")) return;
      s.data.live = true;
      live.add(s);
      send(s, HEAD);
    },
    drain(s) {
      const q = s.data.backlog;
      while (q.length) {
        const b = q[0]!;
        const n = s.write(b);
        if (n < b.length) {
          q[0] = b.subarray(Math.max(0, n));
          return;
        }
        q.shift();
      }
    },
    close(s) {
      live.delete(s);
    },
    error() {
      // the client went away
    },
  },
});

const PAD = "x".repeat(700);

function eventChunk(rv: number): Buffer {
  const line =
    `{"type":"MODIFIED","object":{"apiVersion":"netguard.sgroups.io/v1beta1","kind":"Service","metadata":{"name":"svc-${rv % 1000}",` +
    `"namespace":"bench","resourceVersion":"${rv}"},"spec":{"description":"${PAD}"}}}\n`;
  const body = Buffer.from(line);
  return Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from("\r\n")]);
}

async function run(count: number, rate: number, firstRv: number): Promise<{ acks: WriteAck[]; writeMsPerEvent: number; watchers: number }> {
  const acks: WriteAck[] = [];
  let writing = 0;
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    const wait = t0 + (i * 1000) / rate - performance.now();
    if (wait > 0.5) await Bun.sleep(wait);
    const rv = firstRv + i;
    const chunk = eventChunk(rv);
    const t = wallMs();
    for (const s of live) send(s, chunk);
    writing += wallMs() - t;
    acks.push({ rv, sentAt: t, ackAt: t });
  }
  return { acks, writeMsPerEvent: writing / Math.max(1, count), watchers: live.size };
}

process.stdin.on(
  "data",
  createLineSplitter((line) => {
    if (!line.trim()) return;
    const c = JSON.parse(line) as { id: number; op: string; count: number; rate: number; firstRv: number };
    if (c.op === "run") {
      void run(c.count, c.rate, c.firstRv).then(
        (r) => process.stdout.write(`${JSON.stringify({ id: c.id, ok: true, ...r })}\n`),
        (e: unknown) => process.stdout.write(`${JSON.stringify({ id: c.id, ok: false, error: String(e) })}\n`),
      );
    } else process.stdout.write(`${JSON.stringify({ id: c.id, ok: false, error: `unknown op ${c.op}` })}\n`);
  }),
);
process.stdin.on("end", () => process.exit(0));
process.on("SIGTERM", () => process.exit(0));
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
