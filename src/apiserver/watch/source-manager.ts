/**
 * The hybrid manager (the plan's HybridWatchManager), per kind: decides whether the kind's cache is
 * fed by the backend stream or by the poller, and switches without clients noticing — both sources
 * write into the same cache, which ignores what it already has, so events stay ordered by
 * resourceVersion and appear once.
 *
 * - `polling`, or `streamingEnabled: false` (the kill switch): poll only.
 * - `streaming`: stream only; failures (even UNIMPLEMENTED) are retried with backoff, never polled.
 * - `auto`: stream; an UNIMPLEMENTED Watch or `maxStreamFailures` consecutive failures switch to
 *   polling, and a probe every `probeIntervalMs` switches back once streaming works again.
 */
import type { KindDescriptor } from "../../kinds/kind-table.ts";
import type { BackendClient } from "../backend-client.ts";
import { createPollSource } from "./poll-source.ts";
import { createStreamSource } from "./stream-source.ts";
import { probeStreaming } from "./streaming-probe.ts";
import type { WatchCache } from "./watch-cache.ts";
import type { KindWatchStats } from "./watch-stats.ts";
import type { WatchMode } from "./watch-types.ts";

export type SourceMode = "streaming" | "polling" | "idle";

export interface SourceSettings {
  mode: WatchMode;
  streamingEnabled: boolean;
  pollingIntervalMs: number;
  streamReconnectDelayMs: number;
  maxReconnectDelayMs: number;
  maxStreamFailures: number;
  probeIntervalMs: number;
  probeTimeoutMs: number;
}

export interface SourceManager {
  readonly mode: SourceMode;
  readonly running: boolean;
  /** Starts feeding the cache (re-syncing it first); no-op while running. */
  start(): void;
  /** Stops at once (the loop no longer touches the cache); resolves when the loop has ended. */
  stop(): Promise<void>;
}

export interface SourceManagerOptions extends SourceSettings {
  kind: KindDescriptor;
  backend: BackendClient;
  cache: WatchCache;
  stats: KindWatchStats;
}

/** The mode sources effectively run in: the kill switch wins. */
export function effectiveMode(s: Pick<SourceSettings, "mode" | "streamingEnabled">): WatchMode {
  return s.streamingEnabled ? s.mode : "polling";
}

/** The source manager of one kind; idle until `start`. */
export function createSourceManager(o: SourceManagerOptions): SourceManager {
  const { kind, backend, cache, stats } = o;
  const stream = createStreamSource({
    kind,
    backend,
    cache,
    stats,
    reconnectDelayMs: o.streamReconnectDelayMs,
    maxReconnectDelayMs: o.maxReconnectDelayMs,
    stableAfterMs: Math.max(1000, 20 * o.streamReconnectDelayMs),
  });
  const poll = createPollSource({ kind, backend, cache, stats, intervalMs: o.pollingIntervalMs });
  let mode: SourceMode = "idle";
  let current: { ac: AbortController; loop: Promise<void> } | undefined;

  const setMode = (m: SourceMode, signal: AbortSignal) => {
    if (signal.aborted) return;
    if (mode !== "idle" && m !== mode) stats.modeSwitches++;
    mode = m;
  };

  async function run(signal: AbortSignal): Promise<void> {
    const m = effectiveMode(o);
    if (m === "polling") {
      setMode("polling", signal);
      await poll.run(signal);
      return;
    }
    if (m === "streaming") {
      setMode("streaming", signal);
      await stream.run(signal, { snapshotFirst: true });
      return;
    }
    let snapshotFirst = true;
    while (!signal.aborted) {
      setMode("streaming", signal);
      const r = await stream.run(signal, { snapshotFirst, maxFailures: o.maxStreamFailures, stopOnUnimplemented: true });
      if (r === "stopped") return;
      snapshotFirst = false;
      setMode("polling", signal);
      const p = await poll.run(signal, {
        probe: () => probeStreaming(backend, kind, o.probeTimeoutMs, signal),
        probeIntervalMs: o.probeIntervalMs,
      });
      if (p === "stopped") return;
    }
  }

  return {
    get mode() {
      return mode;
    },
    get running() {
      return current !== undefined;
    },
    start() {
      if (current) return;
      const ac = new AbortController();
      cache.beginSync();
      const loop = run(ac.signal)
        .catch(() => undefined)
        .finally(() => {
          if (current?.ac === ac) {
            current = undefined;
            mode = "idle";
          }
        });
      current = { ac, loop };
    },
    async stop() {
      const c = current;
      if (!c) return;
      current = undefined;
      mode = "idle";
      c.ac.abort();
      await c.loop;
    },
  };
}
