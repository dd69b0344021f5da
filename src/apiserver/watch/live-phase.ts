/**
 * A watcher's live phase: its cursor reads the kind's ring in place. Watchers at the same position
 * whose filters share a key (no selector, or one namespace alone: what kubectl and most informers
 * ask) share one encoded chunk per flush, so a flush costs one chunk per namespace and position
 * rather than one per watcher; label and field selectors see enter/leave types. A progress
 * BOOKMARK goes out only once the watcher has caught up with the ring, so it never carries a
 * version ahead of an event not yet delivered.
 */
import { concatChunks } from "./event-encoder.ts";
import { MAX_EVENTS_PER_CHUNK } from "./watcher-bounds.ts";
import type { SharedChunk, SharedChunks } from "./shared-chunks.ts";
import type { WatchClient } from "./watcher.ts";

/** Adds up to `budget` live events (and a due bookmark) to `parts`. */
export function writeLive(w: WatchClient, parts: Uint8Array[], budget: number, shared: SharedChunks | undefined): void {
  const { cache, stats, encoder } = w.ctx;
  const ring = cache.ring;
  let nextSeq = w.nextSeq;
  const first = nextSeq < ring.nextSeq ? ring.at(nextSeq)! : undefined;
  if (shared && w.filter.shareable && parts.length === 0 && !w.columnsPending && first && first.rv > w.watermark) {
    let chunk = shared.get(w.variant, w.filter, nextSeq);
    if (!chunk) shared.set(w.variant, w.filter, nextSeq, (chunk = buildShared(w, nextSeq)));
    if (chunk.events > 0) parts.push(chunk.bytes);
    nextSeq = chunk.endSeq;
    w.position = chunk.lastRv;
    stats.eventsDelivered += chunk.events;
  } else {
    while (nextSeq < ring.nextSeq && budget > 0) {
      const ev = ring.at(nextSeq++)!;
      if (ev.rv <= w.watermark) continue;
      w.position = ev.rv;
      const type = w.filter.typeFor(ev);
      if (!type) continue;
      parts.push(w.lineFor(ev, type));
      budget--;
    }
  }
  w.nextSeq = nextSeq;
  if (w.bookmarkDue && nextSeq === ring.nextSeq) {
    w.bookmarkDue = false;
    parts.push(encoder.bookmark(Math.max(cache.rv, w.watermark, w.position), false));
    stats.bookmarksSent++;
  }
}

/**
 * One chunk of the events from `from` on that `w`'s filter passes (at most MAX_EVENTS_PER_CHUNK),
 * for every watcher at that position with the same filter. It depends on nothing but the
 * position, the filter and the wire variant, which is what makes it shareable.
 */
function buildShared(w: WatchClient, from: number): SharedChunk {
  const ring = w.ctx.cache.ring;
  const end = ring.nextSeq;
  const parts: Uint8Array[] = [];
  let lastRv = w.position;
  let s = from;
  while (s < end && parts.length < MAX_EVENTS_PER_CHUNK) {
    const ev = ring.at(s++)!;
    lastRv = ev.rv;
    const type = w.filter.typeFor(ev);
    if (type) parts.push(w.ctx.encoder.line(ev, type, w.variant, false));
  }
  return { bytes: concatChunks(parts), endSeq: s, lastRv, events: parts.length };
}
