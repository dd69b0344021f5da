/**
 * The two measured rounds of a fan-out run, shared by the fan-out scenario (fan-out.ts) and the
 * worker-scaling variants (worker-scaling.ts) so every variant is measured the same way:
 *  - steady: `steadyRate` Updates/s for `steadyMs` to every connected watcher; latency is receipt at
 *    the watch client minus the write's acknowledgement;
 *  - burst: `burstBatches` Sync batches of `burstBatchSize` changes back to back; deliveries per
 *    second until the last watcher has the last event.
 * Each round also keeps its measurement window (CPU of every process, bytes on the backend hop).
 */
import { benchService, pacedUpdates, type BackendWriter } from "../backend-writer.ts";
import { wallMs, type LatencySummary } from "../latency.ts";
import { openWindow, type WindowFigures, type WindowTargets } from "../measure-window.ts";
import type { Profile } from "../profile.ts";
import type { WatchPool } from "../watch-pool.ts";

export interface SteadyRound {
  watchers: number;
  latency: LatencySummary;
  deliveriesPerS: number;
  window: WindowFigures;
  complete: boolean;
}

export interface BurstRound {
  events: number;
  deliveries: number;
  ms: number;
  deliveriesPerS: number;
  complete: boolean;
  window: WindowFigures;
}

export interface RoundContext {
  p: Profile;
  writer: BackendWriter;
  pool: WatchPool;
  targets: WindowTargets;
  /** Problems seen are appended here (reported, never hidden). */
  problems: string[];
  log: (s: string) => void;
}

let tag = 0;

/** One steady round at `watchers` connected watchers. */
export async function steadyRound(c: RoundContext, label: string, watchers: number): Promise<SteadyRound> {
  const { p, writer, pool } = c;
  await pool.mark(true);
  const win = await openWindow(c.targets);
  const count = Math.round((p.steadyRate * p.steadyMs) / 1000);
  const paced = await pacedUpdates(writer, { namespace: p.namespace, objects: p.objects, rate: p.steadyRate, count, tag: `steady-${tag++}` });
  const sw = await pool.wait(paced.acks.length, 15_000);
  const window = await win.close();
  const latency = await pool.latency(paced.acks);
  const span = ((sw.complete ? sw.allAt : wallMs()) - paced.startedAt) / 1000;
  const round = { watchers, latency, deliveriesPerS: latency.matched / span, window, complete: sw.complete && latency.matched === latency.expected };
  if (!round.complete) c.problems.push(`${label} at ${watchers}: ${latency.expected - latency.matched} deliveries missing; ${sw.errorLines} ERROR events ${sw.lastError}`);
  c.log(
    `  ${label}: ${p.steadyRate}/s × ${watchers} watchers: p50 ${latency.fromAck.p50.toFixed(2)} ms, p99 ${latency.fromAck.p99.toFixed(2)} ms, ` +
      `max ${latency.fromAck.max.toFixed(1)} ms; API server CPU ${(window.apiServer.cpuShare * 100).toFixed(0)}%, client CPU ${(window.client.cpuShare * 100).toFixed(0)}%`,
  );
  return round;
}

/** One burst round at `watchers` connected watchers. */
export async function burstRound(c: RoundContext, label: string, watchers: number): Promise<BurstRound> {
  const { p, writer, pool } = c;
  await pool.mark(false);
  const win = await openWindow(c.targets);
  const t0 = wallMs();
  const t = tag++;
  for (let b = 0; b < p.burstBatches; b++) {
    const batch = Array.from({ length: p.burstBatchSize }, (_, k) => {
      const n = (b * p.burstBatchSize + k) % p.objects;
      return benchService(p.namespace, n, `burst-${t}-${b}-${k}`);
    });
    await writer.syncUpsert(batch);
  }
  const events = p.burstBatches * p.burstBatchSize;
  const bw = await pool.wait(events, 60_000);
  const window = await win.close();
  const ms = (bw.complete ? bw.allAt : wallMs()) - t0;
  const deliveries = bw.complete ? events * watchers : bw.events;
  const round = { events, deliveries, ms, deliveriesPerS: deliveries / (ms / 1000), complete: bw.complete, window };
  if (!bw.complete) {
    c.problems.push(
      `${label} at ${watchers}: ${bw.below} watchers short of ${events} events (min ${bw.minCount}); ` +
        `${bw.errorLines} ERROR events ${bw.lastError}; ${bw.unexpectedCloses} closed ${bw.lastClose}`,
    );
  }
  c.log(
    `  ${label}: ${events} events × ${watchers} watchers: ${(ms / 1000).toFixed(2)} s → ${(round.deliveriesPerS / 1000).toFixed(0)}k deliveries/s ` +
      `${bw.complete ? "" : "(INCOMPLETE) "}; API server CPU ${(window.apiServer.cpuShare * 100).toFixed(0)}%, client CPU ${(window.client.cpuShare * 100).toFixed(0)}%`,
  );
  return round;
}

/** API-server CPU per 1,000 deliveries (ms) over a round. */
export function apiCpuMsPer1000(r: { window: WindowFigures; latency?: LatencySummary; deliveries?: number }): number {
  const deliveries = r.latency ? r.latency.matched : (r.deliveries ?? 0);
  return (r.window.apiServer.cpuSeconds * 1000) / Math.max(1, deliveries / 1000);
}
