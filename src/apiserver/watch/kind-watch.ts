/**
 * Everything one kind needs to serve watches: its cache, the source manager feeding it, the set of
 * connected watchers, the flush that writes new events to them, the catch-up streams of lagging
 * watchers (catch-up.ts) and the timer wheel of their timeouts and bookmarks (watch-timers.ts).
 *
 * Publishing an event only asks for a flush (flush-scheduler.ts: at most one pending, however many
 * events and watchers); the flush walks the watchers once and each writes one coalesced chunk. A
 * change after a quiet spell goes out on the next event-loop turn; changes within the window the
 * previous flush opened go out together at its end. The source starts with the
 * first watcher and stops `idleStopMs` after the last one left; the cache and its ring are kept,
 * so a restart re-syncs with one snapshot and clients resuming from before the stop still work.
 */
import type { KindDescriptor } from "../../kinds/kind-table.ts";
import type { BackendClient } from "../backend-client.ts";
import { onNextTurn } from "../../runtime/next-turn.ts";
import { waitForResourceVersion } from "../resource-version-wait.ts";
import { statusBody } from "../status.ts";
import { createCatchUpCoordinator } from "./catch-up.ts";
import { createEventEncoder } from "./event-encoder.ts";
import type { WatchFilter } from "./event-filter.ts";
import { createSourceManager, effectiveMode, type SourceMode, type SourceSettings } from "./source-manager.ts";
import { requestProgress } from "./progress-request.ts";
import { createWatchCache, type WatchCache } from "./watch-cache.ts";
import { createFlushScheduler } from "./flush-scheduler.ts";
import { createKindWatchStats, type KindWatchStats } from "./watch-stats.ts";
import { createWatchTimers, timerResolutionMs } from "./watch-timers.ts";
import type { WatchRequestParams } from "./watch-types.ts";
import { createSharedChunks } from "./shared-chunks.ts";
import { createWatcher, type Watcher, type WatcherContext } from "./watcher.ts";
import { createIndexedList } from "./indexed-list.ts";

/** Default shortest flush window (watch.flush_delay): batches bursts into one write per watcher. */
export const DEFAULT_FLUSH_DELAY_MS = 2;

/**
 * Default busy factor (watch.flush_busy_factor): the window is at least this many flush durations,
 * so flushing takes at most about a quarter of the API server's time. At 1,000 watchers × 100
 * events/s (interleaved A/B, 2 cores) 3 against 2 cost 3.5 against 4.6 ms of CPU per 1,000
 * deliveries for p50 30 against 25 ms; 4 went to 2.8 ms at p50 39 ms.
 */
export const DEFAULT_FLUSH_BUSY_FACTOR = 3;

/**
 * A flush that carried this many events (a Sync or a resume, not a trickle of single changes) opens
 * only the shortest window: its writes already carry many events each, and a busy window scaled by
 * its long duration would idle the server in the middle of a burst (flush-scheduler.ts).
 */
export const FLUSH_BATCH_EVENTS = 16;

/** No flush window is longer than this (or than watch.flush_delay), however long a flush took. */
export const MAX_FLUSH_WINDOW_MS = 1000;

export interface KindWatchOptions extends SourceSettings {
  kind: KindDescriptor;
  backend: BackendClient;
  cacheCapacity: number;
  idleStopMs: number;
  bookmarkIntervalMs: number;
  /** How long a watch-list waits for its resourceVersion to reach the cache. */
  resourceVersionWaitMs: number;
  /** Observes, per event written to watchers, seconds since the backend committed it. */
  onDeliveryLatency?: (seconds: number) => void;
  /** Observes each flush: seconds spent writing it to every watcher (the fan-out's own cost). */
  onFlush?: (seconds: number) => void;
  /** Shortest flush window (default DEFAULT_FLUSH_DELAY_MS); see flush-scheduler.ts. */
  flushDelayMs?: number;
  /** The window is at least this many times the typical flush's duration (default DEFAULT_FLUSH_BUSY_FACTOR). */
  flushBusyFactor?: number;
}

export interface KindWatch {
  readonly kind: KindDescriptor;
  readonly stats: KindWatchStats;
  readonly cache: WatchCache;
  readonly mode: SourceMode;
  /** Registers a new watch client (starting the source if needed) and returns its response. */
  serve(params: WatchRequestParams, filter: WatchFilter, signal: AbortSignal, timeoutMs: number): Response;
  close(): Promise<void>;
}

/** Creates a kind's watch; nothing runs until its first client. */
export function createKindWatch(o: KindWatchOptions): KindWatch {
  const stats = createKindWatchStats();
  const watchers = createIndexedList<Watcher>("listIndex");
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  /** The ring's end at the last flush: what the next one carries is everything after it. */
  let flushedSeq = 0;
  const flush = () => {
    const shared = createSharedChunks();
    const ring = cache.ring;
    const from = flushedSeq;
    flushedSeq = ring.nextSeq;
    watchers.forEach((w) => w.pump(shared));
    if (o.onDeliveryLatency) {
      // Once per event (not per watcher): the time from the backend's commit to this write.
      const now = Date.now();
      for (let seq = Math.max(from, ring.nextSeq - o.cacheCapacity); seq < ring.nextSeq; seq++) {
        const ev = ring.at(seq);
        if (ev?.commitTimeMs) o.onDeliveryLatency(Math.max(0, now - ev.commitTimeMs) / 1000);
      }
    }
    return flushedSeq - from;
  };
  const flushDelayMs = o.flushDelayMs ?? DEFAULT_FLUSH_DELAY_MS;
  const flushes = createFlushScheduler({
    delayMs: flushDelayMs,
    busyFactor: o.flushBusyFactor ?? DEFAULT_FLUSH_BUSY_FACTOR,
    batchEvents: FLUSH_BATCH_EVENTS,
    maxMs: Math.max(MAX_FLUSH_WINDOW_MS, flushDelayMs),
    run: flush,
    now: () => performance.now(),
    after(fn, ms) {
      const t = setTimeout(fn, ms);
      return () => clearTimeout(t);
    },
    nextTurn: onNextTurn,
    onFlushed: o.onFlush ? (ms) => o.onFlush!(ms / 1000) : undefined,
  });
  const scheduleFlush = () => {
    if (watchers.size > 0) flushes.request();
  };

  const cache = createWatchCache(
    o.kind,
    o.cacheCapacity,
    {
      onPublish: scheduleFlush,
      onGap(fromRv, toRv) {
        watchers.forEach((w) => w.onGap(fromRv, toRv));
      },
      onReset() {
        watchers.forEach((w) => w.fail(statusBody(410, "Expired", "the backend's resource versions changed; relist")));
      },
    },
    stats,
  );
  const source = createSourceManager({ ...o, cache, stats });
  // Owned by the kind, not by its watchers: one set of catch-up streams and one timer wheel.
  const catchUp = effectiveMode(o) !== "polling" ? createCatchUpCoordinator({ kind: o.kind, backend: o.backend, cache, stats }) : undefined;
  const timers = createWatchTimers(timerResolutionMs(o.bookmarkIntervalMs));

  const ctx: WatcherContext = {
    kind: o.kind,
    cache,
    encoder: createEventEncoder(o.kind),
    stats,
    backend: o.backend,
    catchUp,
    timers,
    bookmarkIntervalMs: o.bookmarkIntervalMs,
    freshen(rv, signal) {
      const current = async () => {
        if (cache.rv >= rv) return cache.rv;
        // Ask for progress only once the backend has the version: then its answer comes at once.
        const backendRv = await o.backend.list(o.kind, { limit: 1 }).then((p) => Number(p.resourceVersion) || 0, () => 0);
        if (backendRv >= rv) await requestProgress(o.backend, o.kind, cache, signal);
        return cache.rv;
      };
      return waitForResourceVersion({ target: rv, current, waitMs: o.resourceVersionWaitMs, signal });
    },
    release(w) {
      if (!watchers.delete(w)) return;
      stats.activeWatchers = watchers.size;
      if (watchers.size === 0 && !closed) {
        idleTimer = setTimeout(() => {
          idleTimer = undefined;
          if (watchers.size === 0) void source.stop();
        }, o.idleStopMs);
      }
    },
  };

  return {
    kind: o.kind,
    stats,
    cache,
    get mode() {
      return source.mode;
    },
    serve(params, filter, signal, timeoutMs) {
      const { watcher: w, response } = createWatcher(ctx, params, filter, signal, timeoutMs);
      watchers.add(w);
      stats.activeWatchers = watchers.size;
      if (idleTimer) {
        clearTimeout(idleTimer);
        idleTimer = undefined;
      }
      source.start();
      w.begin();
      return response;
    },
    async close() {
      closed = true;
      if (idleTimer) clearTimeout(idleTimer);
      flushes.close();
      for (const w of watchers.toArray()) w.close();
      catchUp?.close();
      timers.close();
      await source.stop();
    },
  };
}
