/**
 * Positioning a new watcher once its kind's cache is ready: the initial state ("" / "0" or a
 * watch-list), the ring (a resourceVersion the cache can serve exactly), a catch-up from the
 * backend (an older one), or an ERROR (a position the server never reached, or none to catch up
 * from in polling-only mode).
 */
import { tooLargeResourceVersionStatus } from "../resource-version-wait.ts";
import { startCatchUp } from "./catch-up-phase.ts";
import { expiredStatus } from "./expired-status.ts";
import type { WatchClient } from "./watcher.ts";

/** Waits for the cache, then puts `w` in its first phase and starts writing. */
export async function positionWatcher(w: WatchClient): Promise<void> {
  const { cache } = w.ctx;
  while (!cache.ready) {
    await cache.whenReady();
    if (w.closed) return;
  }
  if (w.closed) return;
  const rv = w.params.resourceVersion;
  if (rv !== "" && rv !== "0" && Number(rv) > cache.rv) {
    // A watch-list must start from a state at least as new as rv (kube-apiserver waits the same
    // way and then ends the watch with an ERROR carrying the 504 "Too large resource version").
    // kube-apiserver lets a plain watch from such a position wait for events indefinitely; here it
    // gets the same bounded wait and ERROR: a position this server never reached means the client
    // saw another history (a restored or replaced store), and the ERROR makes a reflector relist
    // instead of hanging on a position that may never come.
    const abort = (w.freshenAbort = new AbortController());
    const r = await w.ctx.freshen(Number(rv), abort.signal);
    w.freshenAbort = undefined;
    if (w.closed) return;
    if (!r.reached) return w.fail(tooLargeResourceVersionStatus(rv, r.current));
  }
  if (rv === "" || rv === "0" || w.params.sendInitialEvents) {
    w.initial = cache.snapshot();
    w.nextSeq = cache.ring.nextSeq;
    w.watermark = w.position = cache.rv;
    if (w.params.sendInitialEvents) w.initialEndRv = cache.rv;
    w.phase = "initial";
    w.pump();
    return;
  }
  const from = Number(rv);
  if (cache.isServable(from)) return w.goLive(from);
  if (!w.ctx.catchUp) return w.fail(expiredStatus(from, cache.floorRv));
  startCatchUp(w, from);
}
