/**
 * Exponential, capped, jittered delays for reconnects and failed polls: a backend that is down must
 * not be hammered by every API server replica in lockstep, and a short blip must recover quickly.
 */
export interface Backoff {
  /** The next delay in ms (grows with each call until reset). */
  next(): number;
  /** Back to the initial delay (after a success). */
  reset(): void;
  readonly attempts: number;
}

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  /** Growth per attempt (default 2). */
  factor?: number;
  /** Relative spread, 0..1 (default 0.2: ±20 %). */
  jitter?: number;
  random?: () => number;
}

export function createBackoff(o: BackoffOptions): Backoff {
  const factor = o.factor ?? 2;
  const jitter = o.jitter ?? 0.2;
  const random = o.random ?? Math.random;
  let attempts = 0;
  return {
    get attempts() {
      return attempts;
    },
    next() {
      const base = Math.min(o.maxMs, o.initialMs * factor ** attempts);
      attempts++;
      const spread = base * jitter * (2 * random() - 1);
      return Math.max(0, Math.round(Math.min(o.maxMs, base + spread)));
    },
    reset() {
      attempts = 0;
    },
  };
}

/** Waits `ms`, or less when `signal` aborts (never rejects). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}
