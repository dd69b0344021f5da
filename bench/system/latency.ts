/**
 * Latency recording across processes.
 *
 * The writer (bench process) and the watch clients (client process) are different processes, so a
 * process-relative clock (`performance.now()`, Bun's `process.hrtime`) cannot be compared between
 * them. `performance.timeOrigin + performance.now()` is the wall clock with sub-millisecond
 * resolution; on one machine both processes read the same CLOCK_REALTIME (checked: a pipe
 * round trip between two Bun processes measured 0.06–0.1 ms, never negative).
 */

/** Milliseconds since the epoch, with microsecond resolution; comparable between local processes. */
export function wallMs(): number {
  return performance.timeOrigin + performance.now();
}

export interface Percentiles {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles (sorts a copy). Empty input gives NaN figures and count 0. */
export function percentiles(samples: ArrayLike<number>): Percentiles {
  const n = samples.length;
  if (n === 0) return { count: 0, p50: NaN, p90: NaN, p99: NaN, max: NaN };
  const s = Float64Array.from(samples).sort();
  const at = (q: number) => s[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))]!;
  return { count: n, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: s[n - 1]! };
}

/** Median of a non-empty list (NaN when empty); medians resist the noise of a shared 2-core box. */
export function median(xs: readonly number[]): number {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const m = v.length >> 1;
  return v.length % 2 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
}

/**
 * Growable (rv, time) pairs in typed arrays: the client records one pair per delivered event
 * (100k+ per second at 1,000 watchers), so no per-sample objects.
 */
export class DeliveryLog {
  rvs = new Float64Array(1 << 16);
  times = new Float64Array(1 << 16);
  length = 0;

  push(rv: number, t: number): void {
    if (this.length === this.rvs.length) {
      const rvs = new Float64Array(this.rvs.length * 2);
      rvs.set(this.rvs);
      this.rvs = rvs;
      const times = new Float64Array(this.times.length * 2);
      times.set(this.times);
      this.times = times;
    }
    this.rvs[this.length] = rv;
    this.times[this.length++] = t;
  }

  clear(): void {
    this.length = 0;
  }
}

/** One acknowledged write: its resourceVersion, when it was sent and when the ack arrived (wallMs). */
export interface WriteAck {
  rv: number;
  sentAt: number;
  ackAt: number;
}

export interface LatencySummary {
  /** Receipt minus write acknowledgement. Negative when the event beat the ack to the client. */
  fromAck: Percentiles;
  /** Receipt minus the moment the write was sent (includes the write's round trip). */
  fromSend: Percentiles;
  /** Per event: its first receipt (any watcher) minus the ack — the pipeline before fan-out. */
  firstFromAck: Percentiles;
  /** Per event: last receipt minus first receipt across watchers — the cost of the fan-out itself. */
  spread: Percentiles;
  /** Deliveries matched to an acknowledged write. */
  matched: number;
  /** watchers × writes: what complete delivery would give. */
  expected: number;
}

/** Matches deliveries to acks by resourceVersion and summarises the latencies. */
export function summarizeLatency(log: DeliveryLog, acks: readonly WriteAck[], watchers: number): LatencySummary {
  const byRv = new Map<number, number>();
  acks.forEach((a, i) => byRv.set(a.rv, i));
  const first = new Float64Array(acks.length).fill(Infinity);
  const last = new Float64Array(acks.length).fill(-Infinity);
  const fromAck = new Float64Array(log.length);
  const fromSend = new Float64Array(log.length);
  let n = 0;
  for (let i = 0; i < log.length; i++) {
    const k = byRv.get(log.rvs[i]!);
    if (k === undefined) continue;
    const a = acks[k]!;
    const t = log.times[i]!;
    if (t < first[k]!) first[k] = t;
    if (t > last[k]!) last[k] = t;
    fromAck[n] = t - a.ackAt;
    fromSend[n++] = t - a.sentAt;
  }
  const firstFromAck: number[] = [];
  const spread: number[] = [];
  acks.forEach((a, k) => {
    if (first[k] === Infinity) return;
    firstFromAck.push(first[k]! - a.ackAt);
    spread.push(last[k]! - first[k]!);
  });
  return {
    fromAck: percentiles(fromAck.subarray(0, n)),
    fromSend: percentiles(fromSend.subarray(0, n)),
    firstFromAck: percentiles(firstFromAck),
    spread: percentiles(spread),
    matched: n,
    expected: watchers * acks.length,
  };
}
