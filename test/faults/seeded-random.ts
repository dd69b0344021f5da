/**
 * A small seeded PRNG (mulberry32) for fault schedules: the same seed gives the same sequence of
 * decisions (which fault, how long, which writer does what), so a failing run can be replayed with
 * NETGUARD_FAULT_SEED. Timing still varies from run to run; the decisions do not.
 */

/** A deterministic random source. */
export interface SeededRandom {
  readonly seed: number;
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number;
  /** One element of `items`. */
  pick<T>(items: readonly T[]): T;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** An independent stream derived from this one (one per writer, say). */
  fork(): SeededRandom;
}

/** A PRNG seeded with `seed` (any 32-bit integer). */
export function seededRandom(seed: number): SeededRandom {
  let s = seed >>> 0;
  const next = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const r: SeededRandom = {
    seed,
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (items) => items[Math.floor(next() * items.length)]!,
    chance: (p) => next() < p,
    fork: () => seededRandom(Math.floor(next() * 4294967296)),
  };
  return r;
}

/** The seed from NETGUARD_FAULT_SEED, or a fresh one; printed by the suites so a run can be replayed. */
export function faultSeed(): number {
  const v = process.env.NETGUARD_FAULT_SEED;
  if (v && /^\d+$/.test(v)) return Number(v) >>> 0;
  return Math.floor(Math.random() * 4294967296) >>> 0;
}

/** Fault cycles per suite: NETGUARD_FAULT_CYCLES (for soak runs), else `fallback`. */
export function faultCycles(fallback: number): number {
  const v = process.env.NETGUARD_FAULT_CYCLES;
  if (v && /^\d+$/.test(v) && Number(v) > 0) return Number(v);
  return fallback;
}
