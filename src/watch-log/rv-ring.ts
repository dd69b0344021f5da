/**
 * A fixed-capacity ring of resourceVersion-ordered entries with absolute sequence numbers, shared by
 * the backend's event store and the API server's watch caches. Readers hold only a sequence number
 * (a cursor) and read entries in place, so publishing costs one slot write whatever the number of
 * readers. A cursor below `oldestSeq` has been lapped: the entries it had not read are gone.
 */
export interface RvRing<T extends { readonly rv: number }> {
  readonly capacity: number;
  /** Sequence number the next pushed entry gets. */
  readonly nextSeq: number;
  /** Oldest sequence number still held. */
  readonly oldestSeq: number;
  /** resourceVersion of the newest entry pushed out of the ring, or -1. */
  readonly evictedRv: number;
  push(entry: T): void;
  /** The entry at an absolute sequence number, or undefined when not (or no longer) held. */
  at(seq: number): T | undefined;
  /** First held sequence whose entry has rv > afterRv (nextSeq when none). Entries are rv-ordered. */
  seqAfterRv(afterRv: number): number;
  /**
   * Drops every entry; sequence numbers keep growing so old cursors read as lapped. With
   * `lapCaughtUp`, one sequence number is skipped so that a cursor which had read everything
   * reads as lapped too (the backend's rings after a replica reloaded its state).
   */
  clear(lapCaughtUp?: boolean): void;
}

/** Creates an empty ring holding the newest `capacity` entries. */
export function createRvRing<T extends { readonly rv: number }>(capacity: number): RvRing<T> {
  if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`ring capacity must be a positive integer, got ${capacity}`);
  let slots: (T | undefined)[] = new Array(capacity);
  let nextSeq = 0;
  let start = 0;
  let evictedRv = -1;
  const oldest = () => Math.max(start, nextSeq - capacity);
  return {
    capacity,
    get nextSeq() {
      return nextSeq;
    },
    get oldestSeq() {
      return oldest();
    },
    get evictedRv() {
      return evictedRv;
    },
    push(entry) {
      const idx = nextSeq % capacity;
      if (nextSeq - capacity >= start) {
        const gone = slots[idx];
        if (gone) evictedRv = gone.rv;
      }
      slots[idx] = entry;
      nextSeq++;
    },
    at(seq) {
      if (seq < oldest() || seq >= nextSeq) return undefined;
      return slots[seq % capacity];
    },
    seqAfterRv(afterRv) {
      let lo = oldest();
      let hi = nextSeq;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (slots[mid % capacity]!.rv > afterRv) hi = mid;
        else lo = mid + 1;
      }
      return lo;
    },
    clear(lapCaughtUp = false) {
      slots = new Array(capacity);
      if (lapCaughtUp) nextSeq += 1;
      start = nextSeq;
      evictedRv = -1;
    },
  };
}
