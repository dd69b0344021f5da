/**
 * One watch client: a ReadableStream of NDJSON watch events read from the kind's shared cache.
 *
 * A watcher owns no queue of events, only a cursor into the cache's ring (plus, for "0"/unset or
 * sendInitialEvents, the list of state entries to send first). It writes when its stream has room
 * (`desiredSize`), one coalesced chunk per flush; a client that does not read simply stops
 * advancing, and if the ring laps its cursor it is ended with a 410 Expired ERROR instead of
 * silently missing events. Nothing a slow client does reaches the source or other clients.
 */
import type { KindDescriptor } from "../../kinds/kind-table.ts";
import type { BackendClient } from "../backend-client.ts";
import { tooLargeResourceVersionStatus } from "../resource-version-wait.ts";
import { statusBody, type StatusBody } from "../status.ts";
import type { Encodable, StateEntry } from "./cache-event.ts";
import { wakeUp, type WakeSource } from "../../watch-log/mod.ts";
import { expiredStatus, runCatchUp } from "./catch-up.ts";
import {
  concatChunks,
  FIRST_CHUNK,
  JSON_CONTENT_TYPE,
  TABLE_CONTENT_TYPE,
  type EventEncoder,
  type WireVariant,
} from "./event-encoder.ts";
import type { WatchFilter } from "./event-filter.ts";
import type { WatchCache } from "./watch-cache.ts";
import type { KindWatchStats } from "./watch-stats.ts";
import type { WatchRequestParams } from "./watch-types.ts";

/** Most events put into one chunk (bounds one write and one catch-up step of a lagging client). */
export const MAX_EVENTS_PER_CHUNK = 256;

/**
 * Most bytes of catch-up events one client may have buffered (encoded, waiting for room) before its
 * catch-up releases the backend stream: what a client that stops reading costs during a catch-up.
 */
export const MAX_CATCH_UP_BUFFER_BYTES = 256 * 1024;

/** Chunks built during one flush, shared by unfiltered watchers at the same position. */
export type SharedChunks = Map<string, { bytes: Uint8Array; endSeq: number; lastRv: number; events: number }>;

export interface WatcherContext {
  kind: KindDescriptor;
  cache: WatchCache;
  encoder: EventEncoder;
  stats: KindWatchStats;
  backend: BackendClient;
  /** Whether an old position may be caught up through a backend Watch (not in polling-only mode). */
  catchUpAllowed: boolean;
  bookmarkIntervalMs: number;
  /** Waits (briefly) until the cache has reached `rv`: what a watch-list from a resourceVersion needs. */
  freshen(rv: number, signal: AbortSignal): Promise<{ reached: boolean; current: number }>;
  /** Called once when the watcher ends, for whatever reason. */
  release(w: Watcher): void;
}

export interface Watcher {
  readonly response: Response;
  readonly closed: boolean;
  /** Positions the watcher (after the cache is ready) and starts writing. */
  start(): void;
  /** Writes what is pending if the client has room; ends a lapped watcher with 410. */
  pump(shared?: SharedChunks): void;
  /** A relist replaced (fromRv, toRv) by a diff: a watcher positioned strictly inside must relist. */
  onGap(fromRv: number, toRv: number): void;
  /** Ends the watch with an ERROR event carrying `status`. */
  fail(status: StatusBody): void;
  /** Ends the watch cleanly. */
  close(): void;
}

type Phase = "waiting" | "catchup" | "initial" | "live";

const MAX_TIMER_MS = 2 ** 31 - 1;

/** Creates one client's watch; `start` positions it once the cache is ready. */
export function createWatcher(
  ctx: WatcherContext,
  params: WatchRequestParams,
  filter: WatchFilter,
  signal: AbortSignal,
  timeoutMs: number,
): Watcher {
  const { cache, encoder, stats } = ctx;
  const variant: WireVariant = { format: params.format, include: params.includeObject };
  const sharedPrefix = variant.format === "json" ? "j" : `t${variant.include}`;
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let phase: Phase = "waiting";
  let closed = false;
  let initial: readonly StateEntry[] | undefined;
  let initialIdx = 0;
  let initialEndRv: number | undefined;
  let nextSeq = 0;
  let watermark = 0;
  let position = 0;
  let columnsPending = variant.format === "table";
  let bookmarkDue = false;
  // Created only when a catch-up runs: most watchers never need one, and idle watchers are many.
  let catchUpAbort: AbortController | undefined;
  // A catch-up waiting for the client to make room: its wake-up, and the cache's sequence when the
  // client last failed to take an event (a stall the cache outruns by a whole ring ends the watch
  // with 410, as lapping does).
  let roomWake: (() => void) | undefined;
  let stallSeq = -1;
  // Catch-up events encoded while the client had no room (bounded: see MAX_CATCH_UP_BUFFER_BYTES).
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let timeoutTimer: ReturnType<typeof setTimeout> | undefined;
  let bookmarkTimer: ReturnType<typeof setInterval> | undefined;

  const stream = new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
        c.enqueue(FIRST_CHUNK);
      },
      pull() {
        self.pump();
      },
      cancel() {
        self.close();
      },
    },
    { highWaterMark: 1 },
  );
  const response = new Response(stream, {
    status: 200,
    headers: {
      "content-type": variant.format === "table" ? TABLE_CONTENT_TYPE : JSON_CONTENT_TYPE,
      "cache-control": "no-cache, private",
    },
  });

  const write = (bytes: Uint8Array) => {
    try {
      controller.enqueue(bytes);
    } catch {
      self.close();
    }
  };

  const hasRoom = () => (controller.desiredSize ?? 0) > 0;
  const roomSource: WakeSource = (wake) => {
    roomWake = wake;
    return () => {
      if (roomWake === wake) roomWake = undefined;
    };
  };
  /** Writes the buffered catch-up events if the client has room; true when nothing is left. */
  const flushCatchUp = (): boolean => {
    if (pending.length === 0) return true;
    if (!hasRoom()) return false;
    const bytes = concatChunks(pending);
    pending = [];
    pendingBytes = 0;
    stallSeq = -1;
    write(bytes);
    return true;
  };
  /** Resolves once the buffered catch-up events are written (false when the watcher ended meanwhile). */
  const room = async (abort: AbortSignal): Promise<boolean> => {
    while (!closed && !abort.aborted && !flushCatchUp()) await wakeUp({ sources: [roomSource], signal: abort });
    return !closed && !abort.aborted;
  };

  const lineFor = (item: Encodable, type: "ADDED" | "MODIFIED" | "DELETED") => {
    const withColumns = columnsPending;
    columnsPending = false;
    stats.eventsDelivered++;
    return encoder.line(item, type, variant, withColumns);
  };

  const goLive = (afterRv: number) => {
    nextSeq = cache.ring.seqAfterRv(afterRv);
    if (afterRv > watermark) watermark = afterRv;
    position = afterRv;
    phase = "live";
    self.pump();
  };

  const buildShared = (from: number) => {
    const ring = cache.ring;
    const end = Math.min(ring.nextSeq, from + MAX_EVENTS_PER_CHUNK);
    const parts: Uint8Array[] = [];
    let lastRv = position;
    for (let s = from; s < end; s++) {
      const ev = ring.at(s)!;
      parts.push(encoder.line(ev, ev.type, variant, false));
      lastRv = ev.rv;
    }
    return { bytes: concatChunks(parts), endSeq: end, lastRv, events: parts.length };
  };

  async function begin(): Promise<void> {
    while (!cache.ready) {
      await cache.whenReady();
      if (closed) return;
    }
    if (closed) return;
    const rv = params.resourceVersion;
    if (rv !== "" && rv !== "0" && Number(rv) > cache.rv) {
      // A watch-list must start from a state at least as new as rv (kube-apiserver waits the same
      // way and then ends the watch with an ERROR carrying the 504 "Too large resource version").
      // kube-apiserver lets a plain watch from such a position wait for events indefinitely; here it
      // gets the same bounded wait and ERROR: a position this server never reached means the client
      // saw another history (a restored or replaced store), and the ERROR makes a reflector relist
      // instead of hanging on a position that may never come.
      const abort = (catchUpAbort = new AbortController());
      const r = await ctx.freshen(Number(rv), abort.signal);
      if (closed) return;
      if (!r.reached) return self.fail(tooLargeResourceVersionStatus(rv, r.current));
    }
    if (rv === "" || rv === "0" || params.sendInitialEvents) {
      initial = cache.snapshot();
      nextSeq = cache.ring.nextSeq;
      watermark = position = cache.rv;
      if (params.sendInitialEvents) initialEndRv = cache.rv;
      phase = "initial";
      self.pump();
      return;
    }
    const from = Number(rv);
    if (cache.isServable(from)) return goLive(from);
    if (!ctx.catchUpAllowed) return self.fail(expiredStatus(from, cache.floorRv));
    phase = "catchup";
    position = from;
    stats.catchUps++;
    const abort = (catchUpAbort = new AbortController());
    await runCatchUp({
      backend: ctx.backend,
      kind: ctx.kind,
      cache,
      fromRv: from,
      namespace: params.namespace,
      labelSelector: params.labelSelector,
      fieldSelector: params.fieldSelector,
      signal: abort.signal,
      room: () => room(abort.signal),
      deliver(type, object, at) {
        if (closed || phase !== "catchup") return false;
        const line = lineFor({ object, rv: at }, type);
        position = at;
        pending.push(line);
        pendingBytes += line.byteLength;
        if (flushCatchUp()) return true;
        if (stallSeq < 0) stallSeq = cache.ring.nextSeq; // the client stopped taking events here
        return pending.length < MAX_EVENTS_PER_CHUNK && pendingBytes < MAX_CATCH_UP_BUFFER_BYTES;
      },
      switchToCache(at) {
        if (closed || phase !== "catchup") return;
        abort.abort();
        goLive(at);
      },
      fail: (status) => self.fail(status),
    });
  }

  const self: Watcher = {
    response,
    get closed() {
      return closed;
    },
    start() {
      void begin().catch((e: unknown) => self.fail(statusBody(500, "InternalError", `watch failed: ${e instanceof Error ? e.message : String(e)}`)));
    },
    pump(shared) {
      if (closed) return;
      if (phase === "catchup") {
        if (stallSeq >= 0 && cache.ring.nextSeq - stallSeq > cache.ring.capacity) {
          // Stalled while the cache moved on by more than it holds: a live watcher at the cache's
          // head when this one stalled would have been lapped by now, and this one is further back.
          stats.lappedCursors++;
          self.fail(expiredStatus(position, cache.floorRv));
        } else if (!flushCatchUp()) return;
        roomWake?.();
        return;
      }
      if (phase !== "initial" && phase !== "live") return;
      const ring = cache.ring;
      if (ring.isLapped(nextSeq)) {
        stats.lappedCursors++;
        self.fail(expiredStatus(position, cache.floorRv));
        return;
      }
      if ((controller.desiredSize ?? 0) <= 0) return;
      // Catch-up events still buffered when the watcher switched to the cache go first.
      const parts: Uint8Array[] = pending.length ? pending : [];
      pending = [];
      pendingBytes = 0;
      let budget = MAX_EVENTS_PER_CHUNK;
      if (phase === "initial") {
        const list = initial!;
        while (initialIdx < list.length && budget > 0) {
          const entry = list[initialIdx++]!;
          if (!filter.accepts(entry.object)) continue;
          parts.push(lineFor(entry, "ADDED"));
          budget--;
        }
        if (initialIdx >= list.length) {
          initial = undefined;
          if (initialEndRv !== undefined) {
            parts.push(encoder.bookmark(initialEndRv, true));
            stats.bookmarksSent++;
          }
          phase = "live";
        }
      }
      if (phase === "live" && budget > 0) {
        const first = nextSeq < ring.nextSeq ? ring.at(nextSeq)! : undefined;
        if (shared && parts.length === 0 && filter.everything && !columnsPending && first && first.rv > watermark) {
          const key = `${sharedPrefix}:${nextSeq}`;
          let chunk = shared.get(key);
          if (!chunk) shared.set(key, (chunk = buildShared(nextSeq)));
          parts.push(chunk.bytes);
          nextSeq = chunk.endSeq;
          position = chunk.lastRv;
          stats.eventsDelivered += chunk.events;
        } else {
          while (nextSeq < ring.nextSeq && budget > 0) {
            const ev = ring.at(nextSeq++)!;
            if (ev.rv <= watermark) continue;
            position = ev.rv;
            const type = filter.typeFor(ev);
            if (!type) continue;
            parts.push(lineFor(ev, type));
            budget--;
          }
        }
        if (bookmarkDue && nextSeq === ring.nextSeq) {
          bookmarkDue = false;
          parts.push(encoder.bookmark(Math.max(cache.rv, watermark, position), false));
          stats.bookmarksSent++;
        }
      }
      if (parts.length) write(concatChunks(parts));
    },
    onGap(fromRv, toRv) {
      if (phase === "live" && watermark > fromRv && watermark < toRv) self.fail(expiredStatus(watermark, toRv));
    },
    fail(status) {
      if (closed) return;
      closed = true; // before writing: a re-entrant pull must not add events after the ERROR
      stats.errorsSent++;
      try {
        controller.enqueue(encoder.error(status));
      } catch {
        // the client is gone
      }
      finish();
    },
    close() {
      if (closed) return;
      closed = true;
      finish();
    },
  };

  function finish(): void {
    if (timeoutTimer) clearTimeout(timeoutTimer);
    if (bookmarkTimer) clearInterval(bookmarkTimer);
    signal.removeEventListener("abort", self.close);
    catchUpAbort?.abort();
    initial = undefined;
    pending = [];
    pendingBytes = 0;
    try {
      controller.close();
    } catch {
      // already closed or cancelled
    }
    ctx.release(self);
  }

  timeoutTimer = setTimeout(() => self.close(), Math.min(MAX_TIMER_MS, Math.max(0, timeoutMs)));
  if (params.allowBookmarks) {
    bookmarkTimer = setInterval(() => {
      bookmarkDue = true;
      self.pump();
    }, Math.max(1, ctx.bookmarkIntervalMs));
  }
  if (signal.aborted) queueMicrotask(() => self.close());
  else signal.addEventListener("abort", self.close, { once: true });
  return self;
}
