/**
 * A watcher's catch-up phase, its side of the kind's catch-up streams (catch-up.ts): events from
 * the backend are encoded for this client and written when it has room, else buffered up to
 * MAX_EVENTS_PER_CHUNK events / MAX_CATCH_UP_BUFFER_BYTES; a full buffer takes the watcher off the
 * backend stream until the client has read, then it rejoins from its position. A client stalled
 * while the cache moved on by more than its ring ends with 410, as a lapped live watcher does.
 */
import type { KubeObject } from "../../kinds/model.ts";
import type { ChangeType } from "../../watch-log/mod.ts";
import { concatChunks } from "./event-encoder.ts";
import { expiredStatus } from "./expired-status.ts";
import { MAX_CATCH_UP_BUFFER_BYTES, MAX_EVENTS_PER_CHUNK } from "./watcher-bounds.ts";
import type { WatchClient } from "./watcher.ts";

/** Starts catching `w` up from `from` through the kind's catch-up streams. */
export function startCatchUp(w: WatchClient, from: number): void {
  w.phase = "catchup";
  w.position = from;
  w.catchUpFrom = from;
  w.ctx.stats.catchUps++;
  w.ctx.catchUp!.join(w);
}

/**
 * Writes (or, while the client has no room, buffers) one backend event; false when the buffer is
 * full and the watcher must leave the backend stream until the client has read.
 */
export function deliverCatchUp(w: WatchClient, type: ChangeType, object: KubeObject, rv: number): boolean {
  if (w.closed || w.phase !== "catchup") return false;
  const line = w.lineFor({ object, rv }, type);
  w.position = rv;
  (w.pending ??= []).push(line);
  w.pendingBytes += line.byteLength;
  if (flushCatchUp(w)) return true;
  if (w.stallSeq < 0) w.stallSeq = w.ctx.cache.ring.nextSeq; // the client stopped taking events here
  if (w.pending.length < MAX_EVENTS_PER_CHUNK && w.pendingBytes < MAX_CATCH_UP_BUFFER_BYTES) return true;
  w.awaitingRoom = true;
  return false;
}

/** The watcher's pump during catch-up: expire a stalled client, else write what is buffered and rejoin. */
export function pumpCatchUp(w: WatchClient): void {
  const ring = w.ctx.cache.ring;
  if (w.stallSeq >= 0 && ring.nextSeq - w.stallSeq > ring.capacity) {
    // Stalled while the cache moved on by more than it holds: a live watcher at the cache's
    // head when this one stalled would have been lapped by now, and this one is further back.
    w.ctx.stats.lappedCursors++;
    w.fail(expiredStatus(w.position, w.ctx.cache.floorRv));
    return;
  }
  if (!flushCatchUp(w)) return;
  if (w.awaitingRoom) {
    w.awaitingRoom = false;
    w.ctx.catchUp!.join(w);
  }
}

/** Writes the buffered catch-up events if the client has room; true when nothing is left. */
function flushCatchUp(w: WatchClient): boolean {
  const pending = w.pending;
  if (!pending || pending.length === 0) return true;
  if (!w.hasRoom) return false;
  w.pending = undefined;
  w.pendingBytes = 0;
  w.stallSeq = -1;
  w.write(concatChunks(pending));
  return true;
}
