/**
 * A watcher's initial phase: the kind's current objects as synthetic ADDED events (a watch from
 * "" / "0", or a watch-list), then — for a watch-list — the BOOKMARK annotated
 * k8s.io/initial-events-end, after which the watcher continues live.
 */
import type { WatchClient } from "./watcher.ts";

/** Adds up to `budget` initial events to `parts`; returns the budget left. */
export function writeInitial(w: WatchClient, parts: Uint8Array[], budget: number): number {
  const list = w.initial!;
  while (w.initialIdx < list.length && budget > 0) {
    const entry = list[w.initialIdx++]!;
    if (!w.filter.accepts(entry.object)) continue;
    parts.push(w.lineFor(entry, "ADDED"));
    budget--;
  }
  if (w.initialIdx >= list.length) {
    w.initial = undefined;
    if (w.initialEndRv !== undefined) {
      parts.push(w.ctx.encoder.bookmark(w.initialEndRv, true));
      w.ctx.stats.bookmarksSent++;
    }
    w.enterLive();
  }
  return budget;
}
