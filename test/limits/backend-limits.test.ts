/**
 * Backend port limits (issue 9): oversized Connect messages, concurrent Watch streams, idle and
 * half-open sockets, the connection cap and HTTP/1.1 parse errors — each over real sockets.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import * as net from "node:net";
import * as http2 from "node:http2";
import { startBackend, type Backend } from "../../src/backend/backend.ts";
import { createMemoryPersistence } from "../../src/backend/store/memory-persistence.ts";

const WAIT = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function start(o: { maxWatchStreams?: number; maxConnections?: number; headerTimeoutMs?: number; idleTimeoutMs?: number } = {}): Promise<Backend> {
  return startBackend({
    host: "127.0.0.1",
    port: 0,
    persistence: createMemoryPersistence(),
    retention: { maxEvents: 0, maxAgeMs: 0 },
    ringCapacity: 64,
    bookmarkIntervalMs: 60_000,
    trimIntervalMs: 0,
    shutdownGraceMs: 200,
    maxMessageBytes: 4 * 1024 * 1024,
    maxWatchStreams: o.maxWatchStreams ?? 3,
    connections: { maxConnections: o.maxConnections ?? 64, headerTimeoutMs: o.headerTimeoutMs ?? 600, idleTimeoutMs: o.idleTimeoutMs ?? 800 },
  });
}

/** A raw socket; resolves with what the server sent and whether (and when) it closed within waitMs. */
function rawSocket(port: number, send: string | Buffer, waitMs: number): Promise<{ closed: boolean; afterMs: number; data: string }> {
  return new Promise((resolve) => {
    const s = net.connect(port, "127.0.0.1");
    const t0 = Date.now();
    let data = "";
    s.on("connect", () => send.length && s.write(send));
    s.on("data", (d) => (data += d.toString("latin1")));
    s.on("error", () => undefined);
    const timer = setTimeout(() => (s.destroy(), resolve({ closed: false, afterMs: waitMs, data })), waitMs);
    s.on("close", () => (clearTimeout(timer), resolve({ closed: true, afterMs: Date.now() - t0, data })));
  });
}

function rssMiB(): number {
  return process.memoryUsage().rss / 1024 / 1024;
}

describe("backend message size limit", () => {
  let b: Backend;
  beforeAll(async () => (b = await start()));
  afterAll(() => b.close());

  test("a 50 MB Connect message against a 4 MiB limit is resource_exhausted and is not buffered", async () => {
    const before = rssMiB();
    const size = 50 * 1024 * 1024;
    // Streamed from a socket in 1 MiB pieces, so the client side never holds it either.
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const s = net.connect(b.server.port, "127.0.0.1");
      let out = "";
      s.on("data", (d) => (out += d.toString()));
      s.on("error", () => undefined);
      s.on("close", () => {
        const m = /^HTTP\/1\.1 (\d+)/.exec(out);
        if (!m) return reject(new Error(`no response: ${out.slice(0, 200)}`));
        resolve({ status: Number(m[1]), body: out.slice(out.indexOf("\r\n\r\n") + 4) });
      });
      s.write(`POST /netguard.v1.NetguardService/Sync HTTP/1.1\r\nHost: x\r\nContent-Type: application/proto\r\nContent-Length: ${size}\r\nConnection: close\r\n\r\n`);
      const chunk = Buffer.alloc(1024 * 1024, 0x41);
      let sent = 0;
      const pump = () => {
        while (sent < size) {
          sent += chunk.length;
          if (!s.write(chunk)) return void s.once("drain", pump);
        }
      };
      pump();
      setTimeout(() => s.destroy(), 20_000).unref();
    });
    expect(status).toBe(429); // Connect maps resource_exhausted to HTTP 429
    expect(body).toContain("resource_exhausted");
    expect(rssMiB() - before).toBeLessThan(40);
  }, 30_000);
});

describe("backend Watch stream cap", () => {
  let b: Backend;
  beforeAll(async () => (b = await start({ maxWatchStreams: 3 })));
  afterAll(() => b.close());

  function openWatch(client: http2.ClientHttp2Session): { stream: http2.ClientHttp2Stream; headers: Promise<Record<string, unknown>> } {
    const stream = client.request({ ":method": "POST", ":path": "/netguard.v1.NetguardService/WatchServices", "content-type": "application/connect+json" });
    const frame = Buffer.from("{}");
    const env = Buffer.alloc(5 + frame.length);
    env.writeUInt32BE(frame.length, 1);
    frame.copy(env, 5);
    stream.end(env);
    stream.on("error", () => undefined);
    return { stream, headers: new Promise((r) => stream.once("response", (h) => r(h as Record<string, unknown>))) };
  }

  async function bodyOf(stream: http2.ClientHttp2Stream): Promise<string> {
    let s = "";
    stream.on("data", (d: Buffer) => (s += d.toString("latin1")));
    await new Promise((r) => stream.once("end", r));
    return s;
  }

  test("a Watch over the cap is resource_exhausted; after one closes, a new one is accepted", async () => {
    const client = http2.connect(b.url);
    client.on("error", () => undefined);
    try {
      const open = [openWatch(client), openWatch(client), openWatch(client)];
      for (const w of open) expect((await w.headers)[":status"]).toBe(200);
      const extra = openWatch(client);
      await extra.headers;
      expect(await bodyOf(extra.stream)).toContain("resource_exhausted");
      open[0]!.stream.close();
      await WAIT(200);
      const again = openWatch(client);
      expect((await again.headers)[":status"]).toBe(200);
      let first = "";
      await new Promise<void>((r) => again.stream.on("data", (d: Buffer) => ((first += d.toString("latin1")), first.includes("initialEventsEnd") || first.includes("BOOKMARK") ? r() : undefined)));
      expect(first).not.toContain("resource_exhausted");
      for (const w of [...open, again]) w.stream.close();
    } finally {
      client.close();
    }
  }, 20_000);
});

describe("backend connection timeouts", () => {
  let b: Backend;
  beforeAll(async () => (b = await start({ headerTimeoutMs: 600, idleTimeoutMs: 800 })));
  afterAll(() => b.close());

  test("a silent socket, slow headers and a half HTTP/2 preface are closed after the header timeout", async () => {
    const results = await Promise.all([
      rawSocket(b.server.port, "", 8000),
      rawSocket(b.server.port, "GET /healthz HTTP/1.1\r\nHost: x\r\n", 8000),
      rawSocket(b.server.port, "PRI * HTTP/2.0\r\n", 8000),
    ]);
    for (const r of results) {
      expect(r.closed).toBe(true);
      // a lower bound only: the header timer (600 ms) must not fire early; load can only make it later
      expect(r.afterMs).toBeGreaterThanOrEqual(400);
    }
    expect(b.server.connections.timedOut).toBeGreaterThanOrEqual(3);
  }, 20_000);

  test("an idle keep-alive HTTP/1.1 connection is closed after the idle timeout", async () => {
    const r = await rawSocket(b.server.port, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 8000);
    expect(r.data).toContain("200 OK");
    expect(r.closed).toBe(true);
  }, 20_000);

  test("an HTTP/2 Watch with no events outlives the idle timeout several times over", async () => {
    const client = http2.connect(b.url);
    client.on("error", () => undefined);
    let sessionClosed = false;
    client.on("close", () => (sessionClosed = true));
    const stream = client.request({ ":method": "POST", ":path": "/netguard.v1.NetguardService/WatchServices", "content-type": "application/connect+json" });
    const frame = Buffer.from("{}");
    const env = Buffer.alloc(5 + frame.length);
    env.writeUInt32BE(frame.length, 1);
    frame.copy(env, 5);
    stream.end(env);
    let ended = false;
    stream.on("end", () => (ended = true));
    stream.on("error", () => (ended = true));
    stream.resume();
    await WAIT(3500); // > 4 idle timeouts
    expect(ended).toBe(false);
    expect(sessionClosed).toBe(false);
    stream.close();
    // Once nothing is in flight the idle timer applies to the session again.
    await WAIT(3000);
    expect(sessionClosed).toBe(true);
    client.close();
  }, 20_000);
});

describe("backend connection cap and parse errors", () => {
  let b: Backend;
  beforeAll(async () => (b = await start({ maxConnections: 4, headerTimeoutMs: 5000, idleTimeoutMs: 5000 })));
  afterAll(() => b.close());

  test("connections beyond the cap are closed at once and counted; a freed slot is usable again", async () => {
    const held = await Promise.all(
      Array.from({ length: 4 }, () => new Promise<net.Socket>((r) => { const s = net.connect(b.server.port, "127.0.0.1", () => r(s)); s.on("error", () => undefined); })),
    );
    await WAIT(100);
    const over = await rawSocket(b.server.port, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 3000);
    expect(over.closed).toBe(true);
    expect(over.data).toBe("");
    expect(b.server.connections.rejected).toBeGreaterThanOrEqual(1);
    expect(b.metrics.render()).toMatch(/netguard_backend_connections_rejected_total [1-9]/);
    held[0]!.destroy();
    await WAIT(200);
    const ok = await rawSocket(b.server.port, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 3000);
    expect(ok.data).toContain("200 OK");
    for (const s of held) s.destroy();
  }, 20_000);

  test("an unknown method gets 405 and a 100 KB URL 431, not a silent close", async () => {
    const foo = await rawSocket(b.server.port, "FOO / HTTP/1.1\r\nHost: x\r\n\r\n", 3000);
    expect(foo.data).toStartWith("HTTP/1.1 405 ");
    const big = await rawSocket(b.server.port, `GET /${"a".repeat(100_000)} HTTP/1.1\r\nHost: x\r\n\r\n`, 3000);
    expect(big.data).toStartWith("HTTP/1.1 431 ");
  }, 20_000);
});
