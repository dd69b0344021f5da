/**
 * The delegating authorizer's decision cache (k8s.io/apiserver's webhook authorizer): a
 * SubjectAccessReview answer is reused for allowTtl when it allowed and for denyTtl otherwise, keyed
 * by the whole review spec (user, uid, groups, extra and the request attributes), so a burst of
 * requests costs one call to the kube-apiserver. Bounded (least recently used entries go first);
 * errors are never cached.
 */
import type { SarStatus } from "./subject-access-review-client.ts";

/** A TTL cache of review answers. */
export interface SarCache {
  get(key: string): SarStatus | undefined;
  put(key: string, status: SarStatus): void;
}

/** kube's webhook authorizer keeps up to this many answers. */
export const SAR_CACHE_ENTRIES = 8192;

export function createSarCache(allowTtlMs: number, denyTtlMs: number, maxEntries = SAR_CACHE_ENTRIES, now: () => number = Date.now): SarCache {
  const entries = new Map<string, { status: SarStatus; expires: number }>();
  return {
    get(key) {
      const e = entries.get(key);
      if (!e) return undefined;
      entries.delete(key);
      if (e.expires <= now()) return undefined;
      entries.set(key, e); // most recently used last
      return e.status;
    },
    put(key, status) {
      const ttl = status.allowed ? allowTtlMs : denyTtlMs;
      if (ttl <= 0) return;
      entries.delete(key);
      entries.set(key, { status, expires: now() + ttl });
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
    },
  };
}
