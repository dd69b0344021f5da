/**
 * One watch client: a ReadableStream of NDJSON watch events read from the kind's shared cache.
 *
 * A watcher owns no queue of events, only a cursor into the cache's ring (plus, for "0"/unset or
 * sendInitialEvents, the list of state entries to send first). It writes when its body has room
 * (watch-body.ts: a direct stream's socket that is not full, a queued stream's empty queue), one
 * coalesced chunk at a time; a client that does not read simply stops advancing, and if the ring
 * laps its cursor it is ended with a 410 Expired ERROR instead of silently missing events.
 * Nothing a slow client does reaches the source or other clients.
 *
 * The phases live in their own files: positioning (watcher-start.ts), the initial state
 * (initial-phase.ts), catch-up from the backend (catch-up-phase.ts, with the kind's shared
 * catch-up streams in catch-up.ts) and the live cursor (live-phase.ts). A watcher is one object
 * whose methods are shared by every watcher: its stream source, abort listener, timer-wheel entry
 * (watch-timers.ts) and catch-up membership are that object itself, so an idle watcher holds its
 * cursor fields and its stream, and no closures or timers of its own.
 */
import type { KindDescriptor } from "../../kinds/kind-table.ts";
import type { KubeObject } from "../../kinds/model.ts";
import type { ChangeType } from "../../watch-log/mod.ts";
import type { BackendClient } from "../backend-client.ts";
import { statusBody, type StatusBody } from "../status.ts";
import type { Encodable, StateEntry } from "./cache-event.ts";
import type { CatchUpCoordinator, CatchUpMember } from "./catch-up.ts";
import { deliverCatchUp, pumpCatchUp } from "./catch-up-phase.ts";
import { concatChunks, FIRST_CHUNK, JSON_CONTENT_TYPE, TABLE_CONTENT_TYPE, wireVariant, type EventEncoder, type WireVariant } from "./event-encoder.ts";
import type { WatchFilter } from "./event-filter.ts";
import { writeInitial } from "./initial-phase.ts";
import { writeLive } from "./live-phase.ts";
import type { WatchCache } from "./watch-cache.ts";
import type { KindWatchStats } from "./watch-stats.ts";
import type { TimedWatcher, TimerPurpose, WatchTimers } from "./watch-timers.ts";
import type { Releasable, WatchRequestParams } from "./watch-types.ts";
import { positionWatcher } from "./watcher-start.ts";
import { MAX_EVENTS_PER_CHUNK } from "./watcher-bounds.ts";
import { StartState } from "./start-state.ts";
import { expiredStatus } from "./expired-status.ts";
import type { BodyController, DirectController } from "./watch-body.ts";

export { MAX_CATCH_UP_BUFFER_BYTES, MAX_EVENTS_PER_CHUNK } from "./watcher-bounds.ts";

import type { SharedChunks } from "./shared-chunks.ts";

export interface WatcherContext {
  kind: KindDescriptor;
  cache: WatchCache;
  encoder: EventEncoder;
  stats: KindWatchStats;
  backend: BackendClient;
  /** The kind's catch-up streams; undefined when old positions cannot be caught up (polling-only mode). */
  catchUp?: CatchUpCoordinator;
  /** The kind's timer wheel (timeouts and bookmarks of every watcher). */
  timers: WatchTimers;
  bookmarkIntervalMs: number;
  /** Waits (briefly) until the cache has reached `rv`: what a watch-list from a resourceVersion needs. */
  freshen(rv: number, signal: AbortSignal): Promise<{ reached: boolean; current: number }>;
  /** Called once when the watcher ends, for whatever reason. */
  release(w: Watcher): void;
}

export interface Watcher {
  /** Its place in its kind's list of watchers (indexed-list.ts). */
  listIndex: number;
  readonly closed: boolean;
  /** Positions the watcher (after the cache is ready) and starts writing. */
  begin(): void;
  /** Writes what is pending if the client has room; ends a lapped watcher with 410. */
  pump(shared?: SharedChunks): void;
  /** A relist replaced (fromRv, toRv) by a diff: a watcher positioned strictly inside must relist. */
  onGap(fromRv: number, toRv: number): void;
  /** Ends the watch with an ERROR event carrying `status`. */
  fail(status: StatusBody): void;
  /** Ends the watch cleanly. */
  close(): void;
}

export type Phase = "waiting" | "catchup" | "initial" | "live";

const MAX_TIMER_MS = 2 ** 31 - 1;

// WatchClient's flags: one number field instead of five boolean ones (each field is 8 bytes of every idle watcher).
const DIRECT = 1;
const ROOM = 2;
const CLOSED = 4;
const COLUMNS_PENDING = 8;
const BOOKMARK_DUE = 16;

/**
 * Creates one client's watch and the response that streams it (`begin` positions it once the cache
 * is ready). The watcher does not keep its Response: only the runtime needs it.
 */
export function createWatcher(
  ctx: WatcherContext,
  params: WatchRequestParams,
  filter: WatchFilter,
  signal: AbortSignal,
  timeoutMs: number,
): { watcher: Watcher; response: Response } {
  const watcher = new WatchClient(ctx, params, filter, signal, timeoutMs);
  return { watcher, response: watcher.respond(params.format) };
}

/**
 * A watcher's state, read and advanced by the phase files. Fields are public to them; nothing
 * outside src/apiserver/watch/ sees more than the Watcher interface.
 */
export class WatchClient implements Watcher, TimedWatcher, CatchUpMember, EventListenerObject {
  /** The yes/no state below (`direct`, `room`, `closed`, `columnsPending`, `bookmarkDue`) in one number. */
  private flags = 0;
  /** The body's controller: a direct one's arrives with its (only) pull, a queued one's at once. */
  private controller: BodyController | undefined;
  phase: Phase = "waiting";
  /** Its places in its kind's list of watchers and in timer-wheel buckets (indexed-list.ts). */
  listIndex = -1;
  timeoutIndex = -1;
  bookmarkIndex = -1;
  readonly variant: WireVariant;
  /** Next ring sequence to read (live). */
  nextSeq = 0;
  /** Events at or below this were sent as initial state (or before a catch-up handed over). */
  watermark = 0;
  /** Newest resourceVersion this watcher has passed (sent or filtered out). */
  position = 0;
  /**
   * Catch-up events encoded while the client had no room (bounded: MAX_CATCH_UP_BUFFER_BYTES); once
   * closed before the body started, the ERROR to write when it starts.
   */
  pending: Uint8Array[] | undefined;
  /** Told once when the watch ends, whatever ends it (the admission's slot: params.onEnd). */
  private onEnd: Releasable | undefined;
  /**
   * The request's signal, for a queued body only and only until the runtime starts reading it:
   * from then on a client that goes away cancels the stream (src/runtime/serve-fetch-tls.ts cancels
   * its reader), so an idle watcher keeps neither the signal nor a listener on it. A direct body
   * never needs it: Bun.serve cancels the stream whenever the client leaves.
   */
  private signal: AbortSignal | undefined;
  private timeoutBucket = -1;
  private bookmarkBucket = -1;
  /**
   * Everything only a watcher that is not live yet needs (start-state.ts), the request's parameters
   * among it; released once it is live, so an idle watcher keeps none of it (nor the parsed selector
   * the parameters carry: `filter` has what it needs). The phase files read and write its fields
   * through the accessors below; once it is released, reads give the defaults and writes are moot.
   */
  private starting: StartState | undefined;

  constructor(
    readonly ctx: WatcherContext,
    params: WatchRequestParams,
    readonly filter: WatchFilter,
    signal: AbortSignal,
    timeoutMs: number,
  ) {
    this.starting = new StartState(params);
    this.onEnd = params.onEnd;
    this.variant = wireVariant(params.format, params.includeObject);
    if (params.format === "table") this.flags |= COLUMNS_PENDING;
    if (params.directBody === true) this.flags |= DIRECT;
    if (signal.aborted || timeoutMs <= 0) {
      // Gone already, or a negative timeoutSeconds: the watch ends at once (as kube-apiserver's).
      queueMicrotask(() => this.close());
      return;
    }
    const now = Date.now();
    this.timeoutBucket = ctx.timers.schedule(this, "timeout", now + Math.min(MAX_TIMER_MS, timeoutMs));
    if (params.allowBookmarks) this.bookmarkBucket = ctx.timers.schedule(this, "bookmark", now + Math.max(1, ctx.bookmarkIntervalMs));
    // A direct body needs no listener: Bun.serve cancels it when the client goes away, even before
    // the body started — and a listener on the request's signal, even one removed at once, costs
    // each idle connection about a third of a KiB outside the JS heap (bench/idle-watchers).
    if (this.direct) return;
    signal.addEventListener("abort", this, { once: true });
    this.signal = signal;
  }

  /** The watch's response, made once (createWatcher): its body's source is the watcher itself. */
  respond(format: WatchRequestParams["format"]): Response {
    // A direct stream or a queued one, as `type` says (watch-body.ts).
    const stream = new ReadableStream<Uint8Array>(this as unknown as ConstructorParameters<typeof ReadableStream<Uint8Array>>[0], { highWaterMark: 1 });
    return new Response(stream, {
      status: 200,
      headers: {
        "content-type": format === "table" ? TABLE_CONTENT_TYPE : JSON_CONTENT_TYPE,
        "cache-control": "no-cache, private",
      },
    });
  }

  /** The body is a direct stream written into the socket by the server (watch-body.ts), else a queued one. */
  private get direct(): boolean {
    return (this.flags & DIRECT) !== 0;
  }
  /** A direct body's socket can take more (it is not full, or it drained since). */
  private get room(): boolean {
    return (this.flags & ROOM) !== 0;
  }
  private set room(v: boolean) {
    this.flags = v ? this.flags | ROOM : this.flags & ~ROOM;
  }
  get closed(): boolean {
    return (this.flags & CLOSED) !== 0;
  }
  private set closed(v: boolean) {
    this.flags = v ? this.flags | CLOSED : this.flags & ~CLOSED;
  }
  /** Table watches send the column definitions with their first event. */
  get columnsPending(): boolean {
    return (this.flags & COLUMNS_PENDING) !== 0;
  }
  set columnsPending(v: boolean) {
    this.flags = v ? this.flags | COLUMNS_PENDING : this.flags & ~COLUMNS_PENDING;
  }
  /** A progress bookmark is due (written once the watcher has caught up with the ring). */
  get bookmarkDue(): boolean {
    return (this.flags & BOOKMARK_DUE) !== 0;
  }
  set bookmarkDue(v: boolean) {
    this.flags = v ? this.flags | BOOKMARK_DUE : this.flags & ~BOOKMARK_DUE;
  }

  /** The request's parameters; only until the watcher is live (see `starting`). */
  get params(): WatchRequestParams {
    if (this.starting === undefined) throw new Error("a live watcher no longer has its request's parameters");
    return this.starting.request;
  }

  /** From now on the watcher follows the ring: it needs nothing more of its request or its start. */
  enterLive(): void {
    this.phase = "live";
    this.starting = undefined;
  }

  // The start state's fields (start-state.ts), as the phase files see them.
  get initial(): readonly StateEntry[] | undefined {
    return this.starting?.initial;
  }
  set initial(v: readonly StateEntry[] | undefined) {
    if (this.starting) this.starting.initial = v;
  }
  get initialIdx(): number {
    return this.starting?.initialIdx ?? 0;
  }
  set initialIdx(v: number) {
    if (this.starting) this.starting.initialIdx = v;
  }
  get initialEndRv(): number | undefined {
    return this.starting?.initialEndRv;
  }
  set initialEndRv(v: number | undefined) {
    if (this.starting) this.starting.initialEndRv = v;
  }
  get catchUpFrom(): number {
    return this.starting?.catchUpFrom ?? 0;
  }
  set catchUpFrom(v: number) {
    if (this.starting) this.starting.catchUpFrom = v;
  }
  get awaitingRoom(): boolean {
    return this.starting?.awaitingRoom ?? false;
  }
  set awaitingRoom(v: boolean) {
    if (this.starting) this.starting.awaitingRoom = v;
  }
  get stallSeq(): number {
    return this.starting?.stallSeq ?? -1;
  }
  set stallSeq(v: number) {
    if (this.starting) this.starting.stallSeq = v;
  }
  get freshenAbort(): AbortController | undefined {
    return this.starting?.freshenAbort;
  }
  set freshenAbort(v: AbortController | undefined) {
    if (this.starting) this.starting.freshenAbort = v;
  }
  /** The bytes in `pending` during a catch-up (its bound); nothing is buffered against it once live. */
  get pendingBytes(): number {
    return this.starting?.pendingBytes ?? 0;
  }
  set pendingBytes(v: number) {
    if (this.starting) this.starting.pendingBytes = v;
  }

  /** The runtime reads the body: its cancel now tells when the client goes away (see `signal`). */
  dropSignal(): void {
    this.signal?.removeEventListener("abort", this);
    this.signal = undefined;
  }

  // The stream's underlying source is the watcher itself (no second object per watcher).
  /** The kind of stream the ReadableStream constructor makes of this source. */
  get type(): "direct" | undefined {
    return this.direct ? "direct" : undefined;
  }

  /** Called by a queued ReadableStream (a direct one has no start): the primer, so the headers go out before any event. */
  start(c: ReadableStreamDefaultController<Uint8Array>): void {
    this.controller = c;
    c.enqueue(FIRST_CHUNK);
  }

  /**
   * Called by the ReadableStream: the runtime is reading the body. A queued stream pulls whenever
   * its queue has room; a direct stream pulls once, with the sink the watcher writes to from then on.
   */
  pull(c: BodyController): void {
    if (this.direct && this.controller === undefined) {
      const sink = c as DirectController;
      this.controller = sink;
      // Ended before the body started: only its ERROR, if it failed.
      if (this.closed) return this.endBody(this.pending?.[0]);
      this.writeDirect(sink, FIRST_CHUNK); // the primer: the headers go out before any event
    }
    this.dropSignal();
    this.pump();
  }

  /** Called by the ReadableStream when the reader cancels (the client went away). */
  cancel(): void {
    this.close();
  }

  /** The request's signal aborted (the client went away). */
  handleEvent(): void {
    this.close();
  }

  onTimer(purpose: TimerPurpose): void {
    if (this.closed) return;
    if (purpose === "timeout") {
      this.timeoutBucket = -1;
      this.close();
      return;
    }
    this.bookmarkBucket = this.ctx.timers.schedule(this, "bookmark", Date.now() + Math.max(1, this.ctx.bookmarkIntervalMs));
    this.bookmarkDue = true;
    this.pump();
  }

  get hasRoom(): boolean {
    if (this.direct) return this.room;
    const c = this.controller as ReadableStreamDefaultController<Uint8Array> | undefined;
    return (c?.desiredSize ?? 0) > 0;
  }

  write(bytes: Uint8Array): void {
    const c = this.controller;
    if (!c) return;
    try {
      if (this.direct) this.writeDirect(c as DirectController, bytes);
      else (c as ReadableStreamDefaultController<Uint8Array>).enqueue(bytes);
    } catch {
      this.close();
    }
  }

  /** Writes to the direct sink; a full socket stops the watcher until it has drained. */
  private writeDirect(sink: DirectController, bytes: Uint8Array): void {
    const taken = sink.write(bytes);
    sink.flush();
    this.room = typeof taken === "number";
    if (!this.room) (taken as Promise<number>).then(() => this.drained(), () => this.close());
  }

  /** The direct sink's full socket drained (or the client went away: then `pump` does nothing). */
  private drained(): void {
    this.room = true;
    this.pump();
  }

  /** Ends the body after `last` (an ERROR) if given: a direct one by `end`, a queued one by `close`. */
  private endBody(last: Uint8Array | undefined): void {
    const c = this.controller;
    if (!c) return; // a direct body not started yet: its pull ends it
    try {
      if (this.direct) {
        const sink = c as DirectController;
        if (last) sink.write(last);
        sink.end();
      } else {
        const q = c as ReadableStreamDefaultController<Uint8Array>;
        if (last) q.enqueue(last);
        q.close();
      }
    } catch {
      // already closed or cancelled: the client is gone
    }
  }

  /** The line of one event for this client (column definitions with the first one of a Table watch). */
  lineFor(item: Encodable, type: ChangeType): Uint8Array {
    const withColumns = this.columnsPending;
    this.columnsPending = false;
    this.ctx.stats.eventsDelivered++;
    return this.ctx.encoder.line(item, type, this.variant, withColumns);
  }

  /** Continues from the cache's ring after `afterRv` (everything up to it was delivered). */
  goLive(afterRv: number): void {
    this.nextSeq = this.ctx.cache.ring.seqAfterRv(afterRv);
    if (afterRv > this.watermark) this.watermark = afterRv;
    this.position = afterRv;
    this.enterLive();
    this.pump();
  }

  begin(): void {
    void positionWatcher(this).catch((e: unknown) =>
      this.fail(statusBody(500, "InternalError", `watch failed: ${e instanceof Error ? e.message : String(e)}`)),
    );
  }

  pump(shared?: SharedChunks): void {
    if (this.closed) return;
    if (this.phase === "catchup") return pumpCatchUp(this);
    // A queued body pulls again once its chunk is taken; a direct one never does, so the watcher
    // goes on writing while its socket takes chunks and something is left to send.
    while (this.writeChunk(shared) && this.direct && this.room);
  }

  /** Writes one chunk (at most MAX_EVENTS_PER_CHUNK events) if there is room; false when it wrote nothing. */
  private writeChunk(shared: SharedChunks | undefined): boolean {
    if (this.closed || (this.phase !== "initial" && this.phase !== "live")) return false;
    const ring = this.ctx.cache.ring;
    if (ring.isLapped(this.nextSeq)) {
      this.ctx.stats.lappedCursors++;
      this.fail(expiredStatus(this.position, this.ctx.cache.floorRv));
      return false;
    }
    if (!this.hasRoom) return false;
    // Catch-up events still buffered when the watcher switched to the cache go first.
    const parts: Uint8Array[] = this.pending ?? [];
    this.pending = undefined;
    this.pendingBytes = 0;
    let budget = MAX_EVENTS_PER_CHUNK;
    if (this.phase === "initial") budget = writeInitial(this, parts, budget);
    if (this.phase === "live" && budget > 0) writeLive(this, parts, budget, shared);
    if (parts.length === 0) return false;
    this.write(concatChunks(parts));
    return true;
  }

  onGap(fromRv: number, toRv: number): void {
    if (this.phase === "live" && this.watermark > fromRv && this.watermark < toRv) this.fail(expiredStatus(this.watermark, toRv));
  }

  fail(status: StatusBody): void {
    if (this.closed) return;
    this.closed = true; // before writing: a re-entrant pull must not add events after the ERROR
    this.ctx.stats.errorsSent++;
    this.finish(this.ctx.encoder.error(status));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.finish();
  }

  // CatchUpMember: the kind's catch-up streams hand events to the watcher through these.
  deliver(type: ChangeType, object: KubeObject, rv: number): boolean {
    return deliverCatchUp(this, type, object, rv);
  }

  switchToCache(rv: number): void {
    if (this.closed || this.phase !== "catchup") return;
    this.goLive(rv);
  }

  /** Ends the watch: leaves every structure that holds it, ends the body (after `last`) and gives its slot back. */
  private finish(last?: Uint8Array): void {
    const { timers } = this.ctx;
    if (this.timeoutBucket >= 0) timers.cancel(this, "timeout", this.timeoutBucket);
    if (this.bookmarkBucket >= 0) timers.cancel(this, "bookmark", this.bookmarkBucket);
    this.dropSignal();
    this.ctx.catchUp?.leave(this);
    this.freshenAbort?.abort();
    this.starting = undefined;
    this.pending = undefined;
    this.pendingBytes = 0;
    if (this.controller) this.endBody(last);
    else if (last) this.pending = [last]; // a direct body not started yet: its pull writes the ERROR
    this.ctx.release(this);
    const onEnd = this.onEnd;
    this.onEnd = undefined;
    onEnd?.release();
  }
}
