/**
 * A bare Bun.serve that answers every request with an idle NDJSON stream (the "\n" primer, then
 * nothing), in one of the ways a watch response can be built — to show what each costs per idle
 * connection next to the API server (bench/idle-watchers.bench.ts):
 *  - `queued`: a default ReadableStream (highWaterMark 1) whose start enqueues the primer, as
 *    src/apiserver/watch/watcher.ts builds one for readers (the HTTPS adapter, Deno);
 *  - `direct`: Bun's `type: "direct"` stream, whose pull writes the primer, flushes and stays
 *    pending until the stream ends (what a watcher's body is over Bun.serve);
 *  - `raw`: no stream at all (`Bun.listen`, the primer written on the socket): the runtime's floor.
 * Suffixes add per-request work to `queued`/`direct`: `+signal` keeps the request's AbortSignal
 * with a listener (what a watcher did), `+dropped` adds that listener and removes it when the body
 * starts (what a watcher then did: it still costs the connection), `+touch` only reads
 * `req.signal`, `+ip`/`+timeout` call `server.requestIP` / `server.timeout(req, 0)` (what
 * src/runtime/serve-fetch.ts does).
 * Argv: port, variant. Prints "ready" once listening.
 */
const port = Number(process.argv[2]);
const variant = process.argv[3] ?? "queued";
const PRIMER = new Uint8Array([10]);
const HEADERS = { "content-type": "application/json", "cache-control": "no-cache, private" };
const never = new Promise<void>(() => undefined);
const held = new Set<object>();

if (variant === "raw") {
  const head = Buffer.from("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncache-control: no-cache, private\r\ntransfer-encoding: chunked\r\n\r\n1\r\n\n\r\n");
  Bun.listen<{ head: string }>({
    hostname: "127.0.0.1",
    port,
    socket: {
      open(s) {
        s.data = { head: "" };
      },
      data(s, d) {
        if (s.data.head.endsWith("\r\n\r\n")) return;
        s.data.head += d.toString("latin1");
        if (s.data.head.includes("\r\n\r\n")) {
          s.data.head = "\r\n\r\n";
          s.write(head);
        }
      },
    },
  });
} else {
  Bun.serve({
    hostname: "127.0.0.1",
    port,
    idleTimeout: 0,
    fetch(req, srv) {
      if (variant.includes("+ip")) srv.requestIP(req);
      if (variant.includes("+timeout")) srv.timeout(req, 0);
      if (variant.includes("+touch")) void req.signal;
      if (variant.includes("+signal")) {
        const signal = req.signal;
        const holder = { handleEvent: () => undefined, signal };
        signal.addEventListener("abort", holder, { once: true });
        held.add(holder);
      }
      let dropped: { signal: AbortSignal; handleEvent(): void } | undefined;
      if (variant.includes("+dropped")) {
        dropped = { signal: req.signal, handleEvent: () => undefined };
        dropped.signal.addEventListener("abort", dropped, { once: true });
      }
      if (variant.startsWith("direct")) {
        const body = new ReadableStream({
          type: "direct",
          pull(c: { write(b: Uint8Array): number; flush(): number | Promise<number> }) {
            c.write(PRIMER);
            c.flush();
            if (dropped) {
              dropped.signal.removeEventListener("abort", dropped);
              dropped = undefined;
            }
            return never;
          },
        } as unknown as ConstructorParameters<typeof ReadableStream<Uint8Array>>[0]);
        return new Response(body, { status: 200, headers: HEADERS });
      }
      const body = new ReadableStream<Uint8Array>({ start: (c) => c.enqueue(PRIMER) }, { highWaterMark: 1 });
      return new Response(body, { status: 200, headers: HEADERS });
    },
  });
}
console.log("ready");
