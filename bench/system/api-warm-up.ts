/**
 * Warm-up of a freshly started API server before a measured window.
 *
 * Every window at 100 watchers starts an API server of its own, and a new Bun process spends its
 * first seconds of events compiling the event path: its JIT threads took 20–28% of its CPU in the
 * first 5 s of paced writes and under 3% from 15 s on (per-thread /proc counters, 100 watchers ×
 * 100 events/s). On two shared cores that compilation lands in the measured window and its tail.
 * The targets are about a running server, so each window first gets the same paced writes the
 * backend got at start (system.bench.ts), in both modes alike, and waits until every watcher has
 * them: events of the warm-up must not be counted as the window's.
 */
import { pacedUpdates, type BackendWriter } from "./backend-writer.ts";
import type { Profile } from "./profile.ts";
import type { WaitResult, WatchPool } from "./watch-pool.ts";

let round = 0;

/** Paced warm-up writes through an API server in `mode`; resolves once every watcher has them. */
export async function warmUpApiServer(
  mode: "streaming" | "polling",
  p: Profile,
  writer: BackendWriter,
  pool: WatchPool,
): Promise<WaitResult> {
  await pool.mark(false);
  const paced = await pacedUpdates(writer, {
    namespace: p.namespace,
    objects: p.objects,
    rate: p.loadRate,
    count: p.apiWarmupWrites,
    tag: `api-warm-up-${mode}-${round++}`,
  });
  // A poller sees the writes at its next List: up to one interval later.
  return pool.wait(paced.acks.length, mode === "polling" ? p.pollingIntervalMs + 5000 : 5000);
}
