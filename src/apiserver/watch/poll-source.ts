/**
 * PollSource (the plan's Shared Poller, done right): one poller per kind whatever the number of
 * clients. It lists at once when started (no 5-second blind spot), then every interval; it diffs by
 * key and resourceVersion (not deep equality) through the cache, which turns vanished keys into
 * DELETED; failed lists back off and keep the last good state. It is a loop owned by the kind's
 * source manager, so a kind whose clients come back after an idle stop simply gets a new loop.
 */
import type { KindDescriptor } from "../../kinds/kind-table.ts";
import type { BackendClient } from "../backend-client.ts";
import { createBackoff, sleep } from "./backoff.ts";
import type { WatchCache } from "./watch-cache.ts";
import type { KindWatchStats } from "./watch-stats.ts";

export type PollOutcome = "stopped" | "streaming-available";

export interface PollRunOptions {
  /** Auto mode: asked every probeIntervalMs whether streaming works again. */
  probe?: () => Promise<boolean>;
  probeIntervalMs?: number;
}

export interface PollSource {
  run(signal: AbortSignal, o?: PollRunOptions): Promise<PollOutcome>;
}

export interface PollSourceOptions {
  kind: KindDescriptor;
  backend: BackendClient;
  cache: WatchCache;
  stats: KindWatchStats;
  intervalMs: number;
  /** Cap of the error backoff (default max(60 s, interval)). */
  maxBackoffMs?: number;
}

/** A poller for one kind; `run` is its loop (one loop per kind, owned by the source manager). */
export function createPollSource(o: PollSourceOptions): PollSource {
  const { kind, backend, cache, stats } = o;
  return {
    async run(signal, opts = {}) {
      const backoff = createBackoff({ initialMs: o.intervalMs, maxMs: Math.max(o.intervalMs, o.maxBackoffMs ?? 60_000) });
      const probeEvery = opts.probeIntervalMs ?? 30_000;
      let nextProbe = Date.now() + probeEvery;
      while (!signal.aborted) {
        let delay = o.intervalMs;
        try {
          stats.listCalls++;
          const page = await backend.list(kind, {});
          if (signal.aborted) break;
          cache.sync(page.items, Number(page.resourceVersion), { gap: false });
          backoff.reset();
        } catch {
          if (signal.aborted) break;
          stats.pollErrors++;
          delay = backoff.next();
        }
        if (opts.probe && Date.now() >= nextProbe) {
          stats.probes++;
          const ok = await opts.probe();
          if (signal.aborted) break;
          if (ok) return "streaming-available";
          nextProbe = Date.now() + probeEvery;
        }
        await sleep(delay, signal);
      }
      return "stopped";
    },
  };
}
