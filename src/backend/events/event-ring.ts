/**
 * A fixed-capacity ring of committed events for one kind: the hot tail of the durable event log.
 *
 * Readers do not get queues. Each holds a cursor (an absolute sequence number) and reads entries in
 * place, so publishing costs the same with one subscriber or ten thousand: one slot write and, when
 * someone is waiting, resolving one shared promise. A reader the ring has lapped notices (its
 * sequence fell below `oldestSeq`) and continues from the durable log instead of skipping events.
 */
import type { StoredEvent } from "../store/persistence.ts";

export interface EventRing {
  readonly capacity: number;
  /** Sequence number the next published event will get. */
  readonly nextSeq: number;
  /** Oldest sequence number still held. */
  readonly oldestSeq: number;
  /** Every event of this kind with rv > floorRv is in the ring. */
  readonly floorRv: number;
  /** Number of events currently held. */
  readonly size: number;
  publish(ev: StoredEvent): void;
  /** The event at an absolute sequence number, or undefined when not (or no longer) held. */
  at(seq: number): StoredEvent | undefined;
  /** First sequence whose event has rv > afterRv (nextSeq when none). Needs afterRv >= floorRv. */
  seqAfterRv(afterRv: number): number;
  /** Resolves at the next publish. All waiters share one promise. */
  changed(): Promise<void>;
}

/** Creates a ring that covers every event after `startRv` until it wraps. */
export function createEventRing(capacity: number, startRv: number): EventRing {
  if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`ring capacity must be a positive integer, got ${capacity}`);
  const slots: (StoredEvent | undefined)[] = new Array(capacity);
  let nextSeq = 0;
  let floorRv = startRv;
  let waiter: Promise<void> | undefined;
  let wake: (() => void) | undefined;

  const oldest = () => (nextSeq > capacity ? nextSeq - capacity : 0);

  return {
    capacity,
    get nextSeq() {
      return nextSeq;
    },
    get oldestSeq() {
      return oldest();
    },
    get floorRv() {
      return floorRv;
    },
    get size() {
      return nextSeq - oldest();
    },
    publish(ev) {
      const idx = nextSeq % capacity;
      const evicted = slots[idx];
      if (evicted) floorRv = evicted.rv;
      slots[idx] = ev;
      nextSeq++;
      if (wake) {
        const w = wake;
        wake = undefined;
        waiter = undefined;
        w();
      }
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
    changed() {
      if (!waiter) waiter = new Promise<void>((resolve) => (wake = resolve));
      return waiter;
    },
  };
}
