/**
 * What only a watcher that is not live yet needs: its request's parameters, the initial state still
 * to send, its catch-up bookkeeping and the wait for a requested resourceVersion (catch-up events
 * it still buffers when it goes live stay with the watcher, in `pending`). The watcher holds
 * it in one object that it drops when it goes live (watcher.ts `enterLive`), so an idle live
 * watcher's own object carries none of these fields (bench/idle-watchers.bench.ts counts its bytes).
 */
import type { StateEntry } from "./cache-event.ts";
import type { WatchRequestParams } from "./watch-types.ts";

export class StartState {
  /** State entries still to send (initial phase) and the next one's index. */
  initial: readonly StateEntry[] | undefined = undefined;
  initialIdx = 0;
  /** resourceVersion of the initial-events-end bookmark (watch-list), if one is due. */
  initialEndRv: number | undefined = undefined;
  /** The position a catch-up started from (for its 410 message). */
  catchUpFrom = 0;
  /** A catch-up left its backend stream while the client had no room; it rejoins once it has. */
  awaitingRoom = false;
  /** The cache's sequence when the client last failed to take a catch-up event, or -1. */
  stallSeq = -1;
  /** Bytes of the catch-up events the watcher has buffered (`pending`; MAX_CATCH_UP_BUFFER_BYTES). */
  pendingBytes = 0;
  /** Only while waiting for the cache to reach a requested resourceVersion. */
  freshenAbort: AbortController | undefined = undefined;

  /** `request`: the parameters positioning (watcher-start.ts) and catch-up (catch-up.ts) read. */
  constructor(readonly request: WatchRequestParams) {}
}
