/**
 * One watcher's stream, independent of the wire: snapshot or resume position, filtering with
 * enter/leave semantics for label selectors, bookmarks, expiry. The Connect handler turns the items
 * into WatchEvent messages; tests can drive it directly.
 */
import type { KindDescriptor } from "../../kinds/kind-table.ts";
import type { KubeObject } from "../../kinds/model.ts";
import { parseRequestFilter } from "../../kinds/selectors.ts";
import type { StoredEvent } from "../store/persistence.ts";
import type { Cursor } from "../event-store/event-store.ts";
import { visibleType, wakeUp, type ChangeType, type WakeSource } from "../../watch-log/mod.ts";
import { EngineError } from "../../domain/mod.ts";
import type { Engine } from "./engine.ts";

export type WatchItem =
  | { type: ChangeType; object: KubeObject; rv: number; event?: StoredEvent }
  | { type: "BOOKMARK"; rv: number; initialEventsEnd: boolean }
  | { type: "ERROR"; rv: number; message: string };

export interface WatchParams {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** "" or "0": snapshot first; otherwise a decimal resourceVersion to resume after. */
  resourceVersion?: string;
  allowBookmarks?: boolean;
  sendInitialEvents?: boolean;
  /** Period of progress bookmarks (when allowed). */
  bookmarkIntervalMs: number;
  signal: AbortSignal;
}

/** Thrown (after the ERROR item was yielded) when the requested position has left the log. */
export class WatchExpiredError extends EngineError {
  constructor(message: string) {
    super("Expired", message);
  }
}

function parseRv(s: string | undefined): number | undefined {
  if (s === undefined || s === "" || s === "0") return undefined;
  if (!/^\d{1,15}$/.test(s)) throw new EngineError("BadRequest", `invalid resource version "${s}": must be a non-negative integer`);
  return Number(s);
}

/**
 * Streams watch items until `signal` aborts. Throws EngineError("BadRequest") for bad parameters
 * before yielding anything, and WatchExpiredError after yielding the ERROR item.
 */
export async function* watchKind(engine: Engine, kind: KindDescriptor, p: WatchParams): AsyncGenerator<WatchItem> {
  for await (const batch of watchKindBatches(engine, kind, p)) yield* batch;
}

/**
 * `watchKind`'s items grouped as they become ready together: the initial objects, the visible
 * events of one event-store read (a Sync batch, a resume), a bookmark, an ERROR. A Watch stream
 * that opted in to batching sends each group as few messages, so per-message compression covers
 * the group; the groups are never empty and never reorder anything.
 */
export async function* watchKindBatches(engine: Engine, kind: KindDescriptor, p: WatchParams): AsyncGenerator<WatchItem[]> {
  const filter = parseRequestFilter(p.namespace ?? "", p.labelSelector ?? "", p.fieldSelector ?? "", (m) => new EngineError("BadRequest", m));
  const startRv = parseRv(p.resourceVersion);
  let cursor: Cursor;
  if (startRv === undefined || p.sendInitialEvents) {
    if (startRv !== undefined && startRv > engine.currentRv) {
      const message = `too large resource version: ${startRv}, current: ${engine.currentRv}; relist`;
      yield [{ type: "ERROR", rv: startRv, message }];
      throw new WatchExpiredError(message);
    }
    const snap = engine.snapshot(kind, filter);
    cursor = snap.cursor;
    const initial: WatchItem[] = snap.items.map((o) => ({ type: "ADDED", object: o, rv: Number(o.metadata.resourceVersion) }));
    if (initial.length) yield initial;
    yield [{ type: "BOOKMARK", rv: snap.rv, initialEventsEnd: true }];
  } else {
    if (startRv > engine.currentRv) {
      const message = `too large resource version: ${startRv}, current: ${engine.currentRv}; relist`;
      yield [{ type: "ERROR", rv: startRv, message }];
      throw new WatchExpiredError(message);
    }
    cursor = engine.events.cursor(kind.kind, startRv);
  }

  const ring = engine.events.ring(kind.kind);
  // One registration per wait, removed when the wait ends (see wakeUp): an idle watcher woken by
  // every commit must not leave a reaction behind on anything that outlives the wait.
  const nextPublish: WakeSource = (wake) => engine.events.onNextPublish(kind.kind, wake);
  let nextBookmark = Date.now() + p.bookmarkIntervalMs;
  let lastSentRv = cursor.lastRv;
  let caughtUpOnce = false;

  // Tracked while it streams: the backend's oldest-watcher gauge reads its position.
  const untrack = engine.events.track(cursor);
  try {
    while (!p.signal.aborted) {
      const r = await engine.events.read(cursor);
      if (r.kind === "expired") {
        const message = `too old resource version: ${cursor.lastRv} (${r.floorRv})`;
        yield [{ type: "ERROR", rv: cursor.lastRv, message }];
        throw new WatchExpiredError(message);
      }
      const visible: WatchItem[] = [];
      for (const ev of r.events) {
        const type = visibleType(filter, ev);
        if (type) visible.push({ type, object: ev.object, rv: ev.rv, event: ev });
      }
      if (visible.length) yield visible;
      if (r.events.length) lastSentRv = cursor.lastRv;
      const caughtUp = cursor.nextSeq >= 0 && cursor.nextSeq === ring.nextSeq;
      if (!caughtUp) continue;
      if (p.allowBookmarks && !caughtUpOnce) {
        // A resumed watcher learns at once that it has caught up (no waiting for the periodic
        // bookmark): consumers such as the API server's catch-up streams can hand over immediately.
        caughtUpOnce = true;
        const progress = Math.max(cursor.lastRv, engine.currentRv);
        if (progress > lastSentRv) {
          yield [{ type: "BOOKMARK", rv: progress, initialEventsEnd: false }];
          lastSentRv = progress;
          continue;
        }
      }
      if (p.allowBookmarks && Date.now() >= nextBookmark) {
        // Everything of this kind up to the newest committed version has been delivered.
        const progress = Math.max(cursor.lastRv, engine.currentRv);
        yield [{ type: "BOOKMARK", rv: progress, initialEventsEnd: false }];
        lastSentRv = progress;
        nextBookmark = Date.now() + p.bookmarkIntervalMs;
        continue;
      }
      await wakeUp({
        sources: [nextPublish],
        signal: p.signal,
        timeoutMs: p.allowBookmarks ? Math.max(0, nextBookmark - Date.now()) : undefined,
      });
    }
  } finally {
    untrack();
  }
}
