/**
 * The backend's ring for one kind: the hot tail of the durable event log (a shared RvRing), plus
 * the floor below which the log must be read, and one shared wake-up promise for idle readers.
 *
 * Readers do not get queues. Each holds a cursor (an absolute sequence number) and reads entries in
 * place, so publishing costs the same with one subscriber or ten thousand: one slot write and, when
 * someone is waiting, resolving one shared promise. A reader the ring has lapped notices (its
 * sequence fell below `oldestSeq`) and continues from the durable log instead of skipping events.
 */
import { createRvRing } from "../../events/rv-ring.ts";
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
  /**
   * Calls `wake` once at the next publish; the returned function cancels it. A watch loop
   * registers per turn and cancels when it woke for another reason (timer, abort), so nothing
   * from finished turns stays attached to the ring (a reaction on `changed()` would, until the
   * next publish of a kind that may never change again).
   */
  onNextPublish(wake: () => void): () => void;
  /**
   * Drops every event and covers only what comes after `startRv` from now on; every existing
   * cursor reads as lapped (and goes to the log), and waiting readers are woken to notice.
   */
  reset(startRv: number): void;
  /** Wake-ups registered and not yet fired or cancelled (at most one per waiting reader). */
  readonly waiting: number;
}

/** Creates a ring that covers every event after `startRv` until it wraps. */
export function createEventRing(capacity: number, firstRv: number): EventRing {
  let startRv = firstRv;
  const ring = createRvRing<StoredEvent>(capacity);
  let waiter: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  let wakeUps = new Set<() => void>();
  return {
    capacity,
    get nextSeq() {
      return ring.nextSeq;
    },
    get oldestSeq() {
      return ring.oldestSeq;
    },
    get floorRv() {
      return ring.evictedRv < 0 ? startRv : ring.evictedRv;
    },
    get size() {
      return ring.nextSeq - ring.oldestSeq;
    },
    get waiting() {
      return wakeUps.size;
    },
    publish(ev) {
      ring.push(ev);
      wakeReaders();
    },
    reset(rv) {
      ring.clear(true);
      startRv = rv;
      wakeReaders();
    },
    at: (seq) => ring.at(seq),
    seqAfterRv: (afterRv) => ring.seqAfterRv(afterRv),
    changed() {
      if (!waiter) waiter = new Promise<void>((resolve) => (wake = resolve));
      return waiter;
    },
    onNextPublish(f) {
      wakeUps.add(f);
      return () => void wakeUps.delete(f);
    },
  };

  function wakeReaders(): void {
    if (wake) {
      const w = wake;
      wake = undefined;
      waiter = undefined;
      w();
    }
    if (wakeUps.size) {
      const fire = wakeUps;
      wakeUps = new Set();
      for (const f of fire) f();
    }
  }
}
