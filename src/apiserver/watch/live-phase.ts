/**
 * A watcher's live phase: its cursor reads the kind's ring in place. Unfiltered watchers at the
 * same position share one encoded chunk per flush; filtered ones see enter/leave types. A progress
 * BOOKMARK goes out only once the watcher has caught up with the ring, so it never carries a
 * version ahead of an event not yet delivered.
 */
import { concatChunks } from "./event-encoder.ts";
import { MAX_EVENTS_PER_CHUNK } from "./watcher-bounds.ts";
import type { SharedChunks, WatchClient } from "./watcher.ts";

/** Adds up to `budget` live events (and a due bookmark) to `parts`. */
export function writeLive(w: WatchClient, parts: Uint8Array[], budget: number, shared: SharedChunks | undefined): void {
  const { cache, stats, encoder } = w.ctx;
  const ring = cache.ring;
  let nextSeq = w.nextSeq;
  const first = nextSeq < ring.nextSeq ? ring.at(nextSeq)! : undefined;
  if (shared && parts.length === 0 && w.filter.everything && !w.columnsPending && first && first.rv > w.watermark) {
    const key = `${w.variant.format === "json" ? "j" : `t${w.variant.include}`}:${nextSeq}`;
    let chunk = shared.get(key);
    if (!chunk) shared.set(key, (chunk = buildShared(w, nextSeq)));
    parts.push(chunk.bytes);
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

/** One chunk of every event from `from` on (at most MAX_EVENTS_PER_CHUNK), for unfiltered watchers. */
function buildShared(w: WatchClient, from: number) {
  const ring = w.ctx.cache.ring;
  const end = Math.min(ring.nextSeq, from + MAX_EVENTS_PER_CHUNK);
  const parts: Uint8Array[] = [];
  let lastRv = w.position;
  for (let s = from; s < end; s++) {
    const ev = ring.at(s)!;
    parts.push(w.ctx.encoder.line(ev, ev.type, w.variant, false));
    lastRv = ev.rv;
  }
  return { bytes: concatChunks(parts), endSeq: end, lastRv, events: parts.length };
}
