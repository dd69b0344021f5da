/**
 * The chunks one flush builds for watchers that can share them: same wire variant, same shareable
 * filter (no selector, or one namespace alone), same ring position. A flush at 1,000 watchers looks
 * a chunk up once per watcher, so the lookup must cost next to nothing: keys are the interned
 * variant and filter objects and the position (never a string built per watcher, which the
 * runtime would allocate and hash every time), and the entry the previous watcher used is checked
 * first — in a steady stream every watcher of a flush asks for the same one.
 */
import type { WireVariant } from "./event-encoder.ts";
import type { WatchFilter } from "./event-filter.ts";

/** Encoded events from one position on, and where a watcher that sent them stands afterwards. */
export interface SharedChunk {
  bytes: Uint8Array;
  /** The ring position after the last event the chunk looked at. */
  endSeq: number;
  /** The resourceVersion of that event. */
  lastRv: number;
  /** Events in `bytes` (0 when the filter passed none). */
  events: number;
}

export interface SharedChunks {
  get(variant: WireVariant, filter: WatchFilter, seq: number): SharedChunk | undefined;
  set(variant: WireVariant, filter: WatchFilter, seq: number, chunk: SharedChunk): void;
}

/** A fresh set for one flush (chunks depend on the ring, so none outlives the flush). */
export function createSharedChunks(): SharedChunks {
  const byVariant = new Map<WireVariant, Map<WatchFilter, Map<number, SharedChunk>>>();
  let lastVariant: WireVariant | undefined;
  let lastFilter: WatchFilter | undefined;
  let lastSeq = -1;
  let last: SharedChunk | undefined;
  const remember = (variant: WireVariant, filter: WatchFilter, seq: number, chunk: SharedChunk) => {
    lastVariant = variant;
    lastFilter = filter;
    lastSeq = seq;
    last = chunk;
  };
  return {
    get(variant, filter, seq) {
      if (seq === lastSeq && filter === lastFilter && variant === lastVariant) return last;
      const chunk = byVariant.get(variant)?.get(filter)?.get(seq);
      if (chunk) remember(variant, filter, seq, chunk);
      return chunk;
    },
    set(variant, filter, seq, chunk) {
      let byFilter = byVariant.get(variant);
      if (!byFilter) byVariant.set(variant, (byFilter = new Map()));
      let bySeq = byFilter.get(filter);
      if (!bySeq) byFilter.set(filter, (bySeq = new Map()));
      bySeq.set(seq, chunk);
      remember(variant, filter, seq, chunk);
    },
  };
}
