/**
 * A watch log: the in-memory tail of one kind's changes that every watcher of the kind reads
 * through a cursor. The backend's event store (src/backend/event-store/event-store.ts) and the API
 * server's watch cache (src/apiserver/watch/watch-cache.ts) each own one per kind; the ring, its
 * floor, the lapped check and the wake-up of idle readers are written once, here.
 *
 * Readers do not get queues. Each holds a cursor (an absolute sequence number) and reads entries in
 * place, so publishing costs the same with one subscriber or ten thousand: one slot write and, when
 * someone is waiting, waking the registered readers. A reader the ring has lapped (its sequence
 * fell below `oldestSeq`) notices through `isLapped` instead of silently skipping events.
 */
import { createRvRing } from "./rv-ring.ts";

export interface WatchLog<T extends { readonly rv: number }> {
  readonly capacity: number;
  /** Sequence number the next published entry gets. */
  readonly nextSeq: number;
  /** Oldest sequence number still held. */
  readonly oldestSeq: number;
  /** Every entry with rv > floorRv is held (the log started there or evicted up to it). */
  readonly floorRv: number;
  /** Number of entries currently held. */
  readonly size: number;
  /** Wake-ups registered and not yet fired or cancelled (at most one per waiting reader). */
  readonly waiting: number;
  /** Appends an entry (rv-ordered) and wakes the waiting readers. */
  publish(entry: T): void;
  /** The entry at an absolute sequence number, or undefined when not (or no longer) held. */
  at(seq: number): T | undefined;
  /** First sequence whose entry has rv > afterRv (nextSeq when none). Needs afterRv >= floorRv. */
  seqAfterRv(afterRv: number): number;
  /** Whether a cursor at `seq` has been lapped: entries it had not read were overwritten. */
  isLapped(seq: number): boolean;
  /** Resolves at the next publish or reset. All waiters share one promise. */
  changed(): Promise<void>;
  /**
   * Calls `wake` once at the next publish or reset; the returned function cancels it. A watch loop
   * registers per turn and cancels when it woke for another reason (timer, abort), so nothing from
   * finished turns stays attached to the log (a reaction on `changed()` would, until the next
   * publish of a kind that may never change again).
   */
  onNextPublish(wake: () => void): () => void;
  /**
   * Drops every entry and covers only what comes after `startRv` from now on; existing cursors
   * read as lapped (with `lapCaughtUp`, even one that had read everything), and waiting readers
   * are woken to notice.
   */
  reset(startRv: number, lapCaughtUp?: boolean): void;
}

/** Creates an empty log covering every change after `startRv` until it wraps. */
export function createWatchLog<T extends { readonly rv: number }>(capacity: number, startRv: number): WatchLog<T> {
  const ring = createRvRing<T>(capacity);
  let baseRv = startRv;
  let waiter: Promise<void> | undefined;
  let resolveWaiter: (() => void) | undefined;
  let wakeUps = new Set<() => void>();

  const wakeReaders = (): void => {
    if (resolveWaiter) {
      const w = resolveWaiter;
      resolveWaiter = undefined;
      waiter = undefined;
      w();
    }
    if (wakeUps.size) {
      const fire = wakeUps;
      wakeUps = new Set();
      for (const f of fire) f();
    }
  };

  return {
    capacity,
    get nextSeq() {
      return ring.nextSeq;
    },
    get oldestSeq() {
      return ring.oldestSeq;
    },
    get floorRv() {
      return Math.max(baseRv, ring.evictedRv);
    },
    get size() {
      return ring.nextSeq - ring.oldestSeq;
    },
    get waiting() {
      return wakeUps.size;
    },
    publish(entry) {
      ring.push(entry);
      wakeReaders();
    },
    at: (seq) => ring.at(seq),
    seqAfterRv: (afterRv) => ring.seqAfterRv(afterRv),
    isLapped: (seq) => seq < ring.oldestSeq,
    changed() {
      waiter ??= new Promise<void>((resolve) => (resolveWaiter = resolve));
      return waiter;
    },
    onNextPublish(wake) {
      wakeUps.add(wake);
      return () => void wakeUps.delete(wake);
    },
    reset(rv, lapCaughtUp = false) {
      ring.clear(lapCaughtUp);
      baseRv = rv;
      wakeReaders();
    },
  };
}
