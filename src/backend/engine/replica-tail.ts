/**
 * Keeps a replica's index and event rings up to date with what other replicas commit to a shared
 * store: woken by the store's commit notifications, and polling every `intervalMs` as well,
 * because a notification sent while the listening connection was down is lost for good.
 * Catch-ups run under the engine's write lock, so remote events and this replica's own commits
 * reach the rings in resourceVersion order.
 *
 * A replica whose position fell below the log's retention floor (it was stopped or cut off while
 * the others wrote and trimmed) cannot replay what it missed: it reloads the current objects
 * (`rebuild`) and tails on from the reloaded resourceVersion.
 */
import type { SharedLog, StoredEvent } from "../store/persistence.ts";

/** Events read per round trip while catching up. */
const TAIL_BATCH = 1000;

export interface ReplicaTailOptions {
  log: SharedLog;
  intervalMs: number;
  /** This replica's newest applied resourceVersion. */
  position: () => number;
  serialize: <T>(fn: () => Promise<T>) => Promise<T>;
  /** Applies committed events (rv above position) and the log's floor; called under the lock. */
  apply: (events: StoredEvent[], floorRv: number) => void;
  /** Reloads the state from the store when events after position were trimmed; under the lock. */
  rebuild: () => Promise<void>;
}

/**
 * Reads and applies everything committed after the replica's position, rebuilding first if the
 * log no longer reaches back to it. The caller holds the engine's write lock; no database lock
 * is taken, so it also serves dry runs.
 */
export async function drainSharedLog(o: Pick<ReplicaTailOptions, "log" | "position" | "apply" | "rebuild">): Promise<void> {
  for (;;) {
    const { events, floorRv } = await o.log.tail(o.position(), TAIL_BATCH);
    if (floorRv > o.position()) {
      await o.rebuild();
      continue;
    }
    o.apply(events, floorRv);
    if (events.length < TAIL_BATCH) return;
  }
}

export interface ReplicaTail {
  /** Reads everything committed so far (tests and start-up use it to be sure). */
  catchUp(): Promise<void>;
  stop(): Promise<void>;
}

/** Subscribes, catches up once, and keeps catching up until stop(). */
export async function startReplicaTail(o: ReplicaTailOptions): Promise<ReplicaTail> {
  let queued: Promise<void> | undefined;
  let stopped = false;
  const catchUp = (): Promise<void> => {
    // One queued catch-up serves every wake that arrives before it starts.
    queued ??= o.serialize(async () => {
      queued = undefined;
      if (stopped) return;
      await drainSharedLog(o);
    });
    return queued;
  };
  // A failed catch-up (database briefly away) is retried by the next tick; the store logs outages.
  const kick = (): void => void catchUp().catch(() => undefined);
  let unlisten: (() => Promise<void>) | undefined;
  try {
    unlisten = await o.log.onCommit(kick);
  } catch {
    // Without notifications the poll alone keeps the replica current (at most intervalMs late).
  }
  const timer = setInterval(kick, Math.max(10, o.intervalMs));
  (timer as { unref?: () => void }).unref?.();
  await catchUp().catch(() => undefined);
  return {
    catchUp,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await unlisten?.().catch(() => undefined);
    },
  };
}
