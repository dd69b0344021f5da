/**
 * Warm-up of a freshly started API server before a measured window.
 *
 * Every window at 100 watchers starts an API server of its own, and a new Bun process spends its
 * first seconds of events compiling the event path: its JIT threads took 20–28% of its CPU in the
 * first 5 s of paced writes and under 3% from 15 s on (per-thread /proc counters, 100 watchers ×
 * 100 events/s). On two shared cores that compilation lands in the measured window and its tail.
 * The targets are about a running server, so each window first gets the same paced writes the
 * backend got at start (system.bench.ts), in both modes alike. A window that counts deliveries
 * waits until every watcher has them (events of the warm-up must not be counted as the window's);
 * a window that only reads CPU goes on at once, because a poller delivers up to one interval later
 * and the idle gap of that wait would fall before the polling window only: the deferred work of the
 * warm-up (collections, compilation) would then land in the streaming window alone. With that wait
 * in polling only, the backend-CPU rounds read 1.10–1.51 (two runs), against 0.88–1.10 in the runs
 * before any warm-up. A continuous 80 s probe from a fresh API server gave p99s per 10 s of 6.40 ms
 * (cold), then 4.1–5.8 ms: the warmed windows read the running server.
 */
import { pacedUpdates, type BackendWriter } from "./backend-writer.ts";
import { deliveryTimeoutMs, type Profile } from "./profile.ts";
import type { WaitResult, WatchPool } from "./watch-pool.ts";

let round = 0;

/**
 * Paced warm-up writes through an API server in `mode`. With `awaitDelivery`, resolves once every
 * watcher has them (the result says whether they all did); without, as soon as the writes are acknowledged.
 */
export async function warmUpApiServer(
  mode: "streaming" | "polling",
  p: Profile,
  writer: BackendWriter,
  pool: WatchPool,
  awaitDelivery: boolean,
): Promise<WaitResult | undefined> {
  await pool.mark(false);
  const paced = await pacedUpdates(writer, {
    namespace: p.namespace,
    objects: p.objects,
    rate: p.loadRate,
    count: p.apiWarmupWrites,
    tag: `api-warm-up-${mode}-${round++}`,
  });
  if (!awaitDelivery) return undefined;
  return pool.wait(paced.acks.length, deliveryTimeoutMs(mode, p));
}
