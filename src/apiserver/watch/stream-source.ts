/**
 * StreamSource (the plan's StreamManager): one backend Watch stream per kind feeding its cache.
 *
 * It starts with a snapshot watch (current objects, then the initial-events-end bookmark), then
 * applies live changes and progress bookmarks. When the stream breaks it reconnects with backoff and
 * resumes from the cache's position, so nothing is lost or repeated. When the backend says the
 * position expired (OUT_OF_RANGE or an ERROR event) it takes a fresh snapshot and publishes the
 * differences, so watch clients stay consistent without noticing more than the changes themselves.
 * A `Canceled` it did not cause counts as a break: that is how a dying server shows up on HTTP/2.
 */
import { Code, ConnectError } from "@connectrpc/connect";
import type { KubeObject } from "../../kinds/model.ts";
import type { KindDescriptor } from "../../kinds/kind-table.ts";
import type { BackendClient } from "../backend-client.ts";
import { createBackoff, sleep } from "./backoff.ts";
import type { WatchCache } from "./watch-cache.ts";
import type { KindWatchStats } from "./watch-stats.ts";

export type StreamOutcome = "stopped" | "unimplemented" | "failing";

export interface StreamRunOptions {
  /** Start with a snapshot even though the cache is loaded (restart after idle). */
  snapshotFirst: boolean;
  /** Give up after this many consecutive failed attempts (auto mode); unlimited when undefined. */
  maxFailures?: number;
  /** Return at once when the backend has no Watch (auto mode). */
  stopOnUnimplemented?: boolean;
}

export interface StreamSource {
  run(signal: AbortSignal, o: StreamRunOptions): Promise<StreamOutcome>;
}

export interface StreamSourceOptions {
  kind: KindDescriptor;
  backend: BackendClient;
  cache: WatchCache;
  stats: KindWatchStats;
  reconnectDelayMs: number;
  maxReconnectDelayMs: number;
  /** A stream that stayed up this long resets the failure count and the backoff. */
  stableAfterMs: number;
}

function codeOf(e: unknown): Code {
  return ConnectError.from(e).code;
}

/** A stream source for one kind; `run` is its reconnect loop (one per kind, owned by the source manager). */
export function createStreamSource(o: StreamSourceOptions): StreamSource {
  const { kind, backend, cache, stats } = o;
  return {
    async run(signal, opts) {
      const backoff = createBackoff({ initialMs: o.reconnectDelayMs, maxMs: Math.max(o.reconnectDelayMs, o.maxReconnectDelayMs) });
      let needSnapshot = opts.snapshotFirst || !cache.loaded;
      let failures = 0;
      while (!signal.aborted) {
        const call = new AbortController();
        const onAbort = () => call.abort();
        signal.addEventListener("abort", onAbort, { once: true });
        const snapshot = needSnapshot;
        const buffer: KubeObject[] = [];
        let inSnapshot = snapshot;
        let expired = false;
        let failed = false;
        const openedAt = Date.now();
        try {
          stats.upstreamWatchCalls++;
          if (snapshot) {
            if (cache.loaded) stats.relists++;
            cache.beginSync();
          }
          const req = snapshot ? { resourceVersion: "", allowBookmarks: true } : { resourceVersion: String(cache.rv), allowBookmarks: true };
          for await (const ev of backend.watch(kind, req, call.signal)) {
            if (signal.aborted) break;
            failures = 0;
            backoff.reset();
            if (ev.type === "ERROR") {
              expired = true;
              break;
            }
            const rv = Number(ev.resourceVersion);
            if (inSnapshot) {
              if (ev.type === "ADDED" && ev.object) buffer.push(ev.object);
              else if (ev.type === "BOOKMARK" && ev.initialEventsEnd) {
                cache.sync(buffer, rv, { gap: true });
                buffer.length = 0;
                inSnapshot = false;
                needSnapshot = false;
              }
              continue;
            }
            if (ev.type === "BOOKMARK") cache.progress(rv);
            else if (ev.object) cache.apply(ev.type, ev.object, rv, ev.commitTimeMs);
          }
          if (!signal.aborted && !expired) failed = true; // the server ended the stream: reconnect
        } catch (e) {
          if (signal.aborted) break;
          const code = codeOf(e);
          if (code === Code.OutOfRange) expired = true;
          else if (code === Code.Unimplemented && opts.stopOnUnimplemented) return "unimplemented";
          else failed = true;
        } finally {
          signal.removeEventListener("abort", onAbort);
          call.abort();
        }
        if (signal.aborted) break;
        if (expired && !snapshot) {
          needSnapshot = true;
          continue;
        }
        if (!failed && !expired) continue;
        if (Date.now() - openedAt >= o.stableAfterMs) {
          failures = 0;
          backoff.reset();
        }
        failures++;
        stats.reconnects++;
        if (opts.maxFailures !== undefined && failures >= opts.maxFailures) return "failing";
        await sleep(backoff.next(), signal);
      }
      return "stopped";
    },
  };
}
