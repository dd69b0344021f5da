/**
 * The EventStore: one ring per kind over the durable event log, and cursors that read from it.
 *
 * A cursor remembers the last resourceVersion it delivered and, while it keeps up, its position in
 * the ring. Reading never copies events per subscriber. A cursor that falls behind the ring reads
 * the missing range from the durable log and then rejoins the ring; only a position below the log's
 * retention floor is reported as expired.
 */
import type { Persistence, StoredEvent } from "../store/persistence.ts";
import { createWatchLog, type ChangeType, type WatchLog } from "../../watch-log/mod.ts";

/** One kind's hot tail of the durable log (the shared watch log, holding stored events). */
export type EventRing = WatchLog<StoredEvent>;

/** A subscriber's position. */
export interface Cursor {
  readonly kind: string;
  /** Last resourceVersion handed to the subscriber (events <= lastRv are behind it). */
  lastRv: number;
  /** Next ring sequence to read, or -1 when the cursor must first (re)locate itself. */
  nextSeq: number;
  /** Times this cursor was lapped by the ring and had to read from the log. */
  lapped: number;
}

export type ReadResult = { kind: "events"; events: StoredEvent[] } | { kind: "expired"; floorRv: number };

export interface EventStoreOptions {
  kinds: readonly string[];
  ringCapacity: number;
  /** Newest committed resourceVersion at start. */
  startRv: number;
  persistence: Persistence;
  /** Current retention floor of the durable log. */
  floorRv: () => number;
  /**
   * Max events returned by one read from the log (default 64). A watcher that stops reading holds
   * its last read, so this bounds what each stalled resuming client costs: with 8 KiB objects, 512
   * made 8 stalled clients cost ~60 MB more than 64 does (test/e2e/slow-consumers.test.ts).
   */
  readBatch?: number;
}

export interface EventStore {
  /** Newest published resourceVersion (any kind). */
  readonly currentRv: number;
  publish(events: readonly StoredEvent[]): void;
  /**
   * Empties every ring and restarts them after `rv` (a replica that reloaded its state). Cursors
   * continue from the durable log while their position is at or above its floor, and read as
   * expired below it, as lapped cursors do.
   */
  reset(rv: number): void;
  /** A cursor that will deliver exactly the events of `kind` with rv > afterRv. */
  cursor(kind: string, afterRv: number): Cursor;
  /** Reads the next events; empty when the cursor is caught up. */
  read(cursor: Cursor): Promise<ReadResult>;
  /** Resolves at the next publish of this kind. */
  changed(kind: string): Promise<void>;
  /** Calls `wake` once at the next publish of this kind; the returned function cancels it. */
  onNextPublish(kind: string, wake: () => void): () => void;
  ring(kind: string): EventRing;
  /**
   * Registers a live watcher's cursor for `oldestPosition` (metrics); the returned function
   * unregisters it. Cursors nobody tracks (one-off reads) cost nothing.
   */
  track(cursor: Cursor): () => void;
  /**
   * Lowest resourceVersion up to which every tracked cursor has everything of its kind, or
   * undefined with no tracked cursor. A caught-up cursor counts as the newest version: an idle
   * watcher of a quiet kind is not "old". Alerts compare it with the log's retention floor.
   */
  oldestPosition(): number | undefined;
  /** Counters for metrics and tests. */
  readonly stats: { logReads: number; lapped: number; expired: number };
  /** Events published per kind and change type (read by metrics at scrape time). */
  readonly published: ReadonlyMap<string, Record<ChangeType, number>>;
}

export function createEventStore(opts: EventStoreOptions): EventStore {
  const rings = new Map<string, EventRing>();
  for (const k of opts.kinds) rings.set(k, createWatchLog<StoredEvent>(opts.ringCapacity, opts.startRv));
  let currentRv = opts.startRv;
  const batch = opts.readBatch ?? 64;
  const stats = { logReads: 0, lapped: 0, expired: 0 };
  const published = new Map<string, Record<ChangeType, number>>();
  for (const k of opts.kinds) published.set(k, { ADDED: 0, MODIFIED: 0, DELETED: 0 });

  const ringOf = (kind: string): EventRing => {
    const r = rings.get(kind);
    if (!r) throw new Error(`unknown kind ${kind}`);
    return r;
  };
  const tracked = new Set<Cursor>();
  // In the ring, the cursor has every event of its kind before the next unread one; lapped or
  // reading from the log, lastRv is all it has.
  const positionOf = (c: Cursor): number => {
    const ring = ringOf(c.kind);
    if (c.nextSeq < 0 || ring.isLapped(c.nextSeq)) return c.lastRv;
    const next = ring.at(c.nextSeq);
    return next ? next.rv - 1 : Math.max(c.lastRv, currentRv);
  };

  return {
    get currentRv() {
      return currentRv;
    },
    stats,
    published,
    track(c) {
      tracked.add(c);
      return () => void tracked.delete(c);
    },
    oldestPosition() {
      let min: number | undefined;
      for (const c of tracked) {
        const p = positionOf(c);
        if (min === undefined || p < min) min = p;
      }
      return min;
    },
    publish(events) {
      for (const ev of events) {
        ringOf(ev.kind).publish(ev);
        published.get(ev.kind)![ev.type]++;
        if (ev.rv > currentRv) currentRv = ev.rv;
      }
    },
    reset(rv) {
      for (const ring of rings.values()) ring.reset(rv, true);
      currentRv = rv;
    },
    cursor(kind, afterRv) {
      const ring = ringOf(kind);
      const c: Cursor = { kind, lastRv: afterRv, nextSeq: -1, lapped: 0 };
      if (afterRv >= ring.floorRv) c.nextSeq = ring.seqAfterRv(afterRv);
      return c;
    },
    async read(c) {
      const ring = ringOf(c.kind);
      if (c.nextSeq >= 0 && ring.isLapped(c.nextSeq)) {
        // Lapped: the ring overwrote events this cursor had not read yet.
        c.nextSeq = -1;
        c.lapped++;
        stats.lapped++;
      }
      if (c.nextSeq < 0 && c.lastRv >= ring.floorRv) c.nextSeq = ring.seqAfterRv(c.lastRv);
      if (c.nextSeq >= 0) {
        const end = Math.min(ring.nextSeq, c.nextSeq + batch);
        const out: StoredEvent[] = [];
        for (let s = c.nextSeq; s < end; s++) out.push(ring.at(s)!);
        c.nextSeq = end;
        if (out.length) c.lastRv = out[out.length - 1]!.rv;
        return { kind: "events", events: out };
      }
      const floor = opts.floorRv();
      if (c.lastRv < floor) {
        stats.expired++;
        return { kind: "expired", floorRv: floor };
      }
      stats.logReads++;
      const events = await opts.persistence.readEvents(c.kind, c.lastRv, batch);
      // Only hand out what is strictly before the ring's coverage or confirmed by it; the ring
      // is authoritative for everything after its floor, so stop at the floor to avoid duplicates.
      const ringFloor = ring.floorRv;
      const out = events.filter((e) => e.rv <= ringFloor || c.lastRv >= ringFloor);
      if (out.length) c.lastRv = out[out.length - 1]!.rv;
      else if (c.lastRv < ringFloor) c.lastRv = ringFloor; // nothing of this kind up to the floor
      return { kind: "events", events: out };
    },
    changed(kind) {
      return ringOf(kind).changed();
    },
    onNextPublish(kind, wake) {
      return ringOf(kind).onNextPublish(wake);
    },
    ring: ringOf,
  };
}
