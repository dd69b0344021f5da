/**
 * The API server's own record of its fan-out: `netguard_apiserver_watch_flush_duration_seconds`
 * (count and sum for one kind), read from its /metrics before and after a window. The difference
 * gives how many flushes the window had, how long each took on average and so how many events each
 * carried — the coalescing that the flush window (watch.flush_busy_factor) trades latency for.
 */

const METRIC = "netguard_apiserver_watch_flush_duration_seconds";

export interface FlushTotals {
  count: number;
  sumSeconds: number;
}

export interface FlushStats {
  flushes: number;
  perSecond: number;
  meanMs: number;
  eventsPerFlush: number;
}

/** Reads the histogram's count and sum for `resourceType` from the Prometheus text `text`. */
export function parseFlushTotals(text: string, resourceType: string): FlushTotals {
  const read = (suffix: string) => {
    const prefix = `${METRIC}_${suffix}{resource_type="${resourceType}"} `;
    const line = text.split("\n").find((l) => l.startsWith(prefix));
    return line ? Number(line.slice(prefix.length)) : NaN;
  };
  return { count: read("count"), sumSeconds: read("sum") };
}

/** The totals an API server on 127.0.0.1:`port` reports (plain HTTP: the benchmark's servers run insecure). */
export async function readFlushTotals(port: number, resourceType = "services"): Promise<FlushTotals> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`API server /metrics: HTTP ${res.status}`);
  return parseFlushTotals(await res.text(), resourceType);
}

/** What happened between two readings, over `seconds` in which `events` changes were written. */
export function flushStatsBetween(before: FlushTotals, after: FlushTotals, seconds: number, events: number): FlushStats {
  const flushes = after.count - before.count;
  return {
    flushes,
    perSecond: flushes / seconds,
    meanMs: flushes > 0 ? ((after.sumSeconds - before.sumSeconds) * 1000) / flushes : NaN,
    eventsPerFlush: flushes > 0 ? events / flushes : NaN,
  };
}
