/**
 * How a watcher writes its response body, and when it may write more. An idle watcher is mostly
 * its body, so the body is the cheapest one the serving runtime can take:
 *  - `direct`: when the server writes Bun's direct streams (`type: "direct"`) straight into the
 *    socket (Bun.serve; src/runtime/serve-fetch.ts says so per request), the body has no queue,
 *    reader, read request or pending promise of its own (bench/idle-watchers.bench.ts: a direct
 *    body costs less per idle connection than a queued one). Its sink's `write` returns a Promise
 *    once the socket's buffers are full: the watcher writes nothing more until it resolves, so a
 *    stalled client holds at most one chunk in the server and is lapped (410) like any other;
 *  - `queued`: a default ReadableStream with a one-chunk queue (the HTTPS adapter and Deno, which
 *    read bodies through a reader; tests), with room while the queue is empty.
 */

/** What a direct stream's `pull` gets from Bun.serve: a sink that writes, flushes and ends the body. */
export interface DirectController {
  /** Bytes taken, or — once the socket is full — a Promise that resolves when it has drained. */
  write(bytes: Uint8Array): number | Promise<number>;
  flush(): unknown;
  end(): unknown;
}

export type BodyController = DirectController | ReadableStreamDefaultController<Uint8Array>;
