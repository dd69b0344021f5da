/**
 * A progress request for one kind's cache (what kube-apiserver's watch cache asks etcd for when a
 * watch-list needs a newer resourceVersion than the cache has seen): a short backend Watch from the
 * cache's position, whose events are applied to the cache in order and whose first progress
 * BOOKMARK moves the cache to the backend's current resourceVersion. The cache ignores anything it
 * already has, so racing the kind's main stream is harmless. A backend without Watch (polling
 * mode) simply gives no progress: the poller then moves the cache.
 */
import type { KindDescriptor } from "../../kinds/kind-table.ts";
import type { BackendClient } from "../backend-client.ts";
import type { WatchCache } from "./watch-cache.ts";

/** Longest a single progress request may take before it is abandoned. */
const PROGRESS_TIMEOUT_MS = 1000;

/** Asks the backend how far the kind has progressed and applies it to `cache`; never throws. */
export async function requestProgress(backend: BackendClient, kind: KindDescriptor, cache: WatchCache, signal?: AbortSignal): Promise<void> {
  if (!cache.loaded) return;
  const call = new AbortController();
  const stop = () => call.abort();
  const timer = setTimeout(stop, PROGRESS_TIMEOUT_MS);
  signal?.addEventListener("abort", stop, { once: true });
  try {
    for await (const ev of backend.watch(kind, { resourceVersion: String(cache.rv), allowBookmarks: true }, call.signal)) {
      if (ev.type === "ERROR") break;
      const rv = Number(ev.resourceVersion);
      if (ev.type === "BOOKMARK") {
        cache.progress(rv);
        break;
      }
      if (ev.object) cache.apply(ev.type, ev.object, rv, ev.commitTimeMs);
    }
  } catch {
    // no Watch, expired position, aborted: no progress this time
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", stop);
    call.abort();
  }
}
