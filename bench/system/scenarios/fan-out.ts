/**
 * Fan-out of one streaming API server:
 *  1. idle memory: RSS with a few watchers (source and cache started), then with `rssWatchers`
 *     idle watchers; the difference per watcher;
 *  2. the ramp: for each level, connect up to that many watchers, write a few events and check that
 *     every watcher gets every one (the largest level that passes is the answer);
 *  3. at the first level (1,000): steady 100 events/s rounds (latency at fan-out), and burst rounds
 *     (Sync batches back to back; deliveries per second until the last watcher has the last event);
 *  4. the steady load again with 1,000 all-namespaces watchers: namespace-scoped watches (kubectl's
 *     default, and the headline) are filtered per watcher; unfiltered ones share one encoded chunk.
 * Bursts stay below the API server's cache ring (4,096 events per kind), so a watcher that falls
 * behind is slow, not expired.
 */
import { pacedUpdates, type BackendWriter } from "../backend-writer.ts";
import { median } from "../latency.ts";
import { burstRound, steadyRound, type BurstRound, type RoundContext, type SteadyRound } from "./fan-out-rounds.ts";
import type { Profile } from "../profile.ts";
import { startApiServerProc, type BackendProc } from "../stack.ts";
import { flushStatsBetween, readFlushTotals, type FlushStats } from "../api-flush-stats.ts";
import { watchPath, watchPathAllNamespaces, type WatchPool } from "../watch-pool.ts";

export interface LevelResult {
  watchers: number;
  connectMs: number;
  connectFailed: number;
  /** Every watcher got every check event. */
  allDelivered: boolean;
  checkP99Ms: number;
  /** From the last check write's ack until the last watcher had every event. */
  checkDrainMs: number;
  note: string;
}

export interface FanOutResult {
  rss: { baseWatchers: number; baseKiB: number; watchers: number; kiB: number; kibPerWatcher: number; connectMs: number; failed: number };
  levels: LevelResult[];
  maxWatchersAllDelivered: number;
  steadyAt: number;
  /** Steady rounds at the first level, namespace-scoped watchers (the headline figures). */
  steady: SteadyRound[];
  burst: BurstRound[];
  /** The same steady load with all-namespaces watchers. */
  clusterWide: SteadyRound[];
  /** The API server's flushes over the steady rounds, from its own metric (api-flush-stats.ts); absent when unreadable. */
  steadyFlushes?: FlushStats;
  problems: string[];
}

export type { BurstRound, SteadyRound } from "./fan-out-rounds.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const BASE_WATCHERS = 10;

export async function runFanOut(p: Profile, backend: BackendProc, writer: BackendWriter, pool: WatchPool, log: (s: string) => void): Promise<FanOutResult> {
  const problems: string[] = [];
  const api = await startApiServerProc("streaming", backend.port, undefined, backend.access);
  const targets = { backendPort: backend.port, backendAccess: backend.access, backend: backend.child, apiServer: api.child, wire: api.wire, client: pool.process };
  const path = async () => watchPath(p.namespace, await writer.currentRv());
  let tag = 0;
  const rounds: RoundContext = { p, writer, pool, targets, problems, log };
  try {
    // 1. idle memory per watcher
    await pool.open(api.port, await path(), BASE_WATCHERS);
    await sleep(1500);
    const base = api.child.sample()!;
    const idleOpen = await pool.open(api.port, await path(), p.rssWatchers - BASE_WATCHERS, 500);
    // settle (request garbage collected), then the median of three samples
    await sleep(2000);
    const samples: number[] = [];
    for (let i = 0; i < 3; i++) {
      await sleep(500);
      samples.push(api.child.sample()!.rssKiB);
    }
    const full = { rssKiB: median(samples) };
    const added = idleOpen.opened;
    const rss = {
      baseWatchers: BASE_WATCHERS,
      baseKiB: base.rssKiB,
      watchers: added + BASE_WATCHERS,
      kiB: full.rssKiB,
      kibPerWatcher: added > 0 ? (full.rssKiB - base.rssKiB) / added : NaN,
      connectMs: idleOpen.ms,
      failed: idleOpen.failed,
    };
    log(`  idle RSS: ${rss.baseKiB} KiB with ${BASE_WATCHERS} watchers, ${rss.kiB} KiB with ${rss.watchers} → ${rss.kibPerWatcher.toFixed(2)} KiB per watcher (connected in ${idleOpen.ms.toFixed(0)} ms)`);
    if (idleOpen.failed) problems.push(`idle RSS: ${idleOpen.failed} of ${p.rssWatchers - BASE_WATCHERS} connections failed: ${idleOpen.lastConnectFailure}`);
    await pool.closeAll();
    await sleep(500);

    // 2. + 3. the ramp
    const levels: LevelResult[] = [];
    const steady: SteadyRound[] = [];
    let steadyFlushes: FlushStats | undefined;
    const burst: BurstRound[] = [];
    let maxOk = 0;
    let current = 0;
    for (const level of p.fanoutLevels) {
      const o = await pool.open(api.port, await path(), level - current, 500);
      current += o.opened;
      await sleep(1000);
      const r: LevelResult = { watchers: current, connectMs: o.ms, connectFailed: o.failed, allDelivered: false, checkP99Ms: NaN, checkDrainMs: NaN, note: "" };
      levels.push(r);
      if (o.failed) {
        r.note = `${o.failed} connections failed: ${o.lastConnectFailure}`;
        problems.push(`ramp ${level}: ${r.note}`);
        break;
      }
      await pool.mark(true);
      const check = await pacedUpdates(writer, { namespace: p.namespace, objects: p.objects, rate: p.checkRate, count: p.checkEvents, tag: `check-${level}-${tag++}` });
      const w = await pool.wait(check.acks.length, 15_000 + level * 3);
      const lat = await pool.latency(check.acks);
      r.allDelivered = w.complete && lat.matched === lat.expected && check.errors === 0 && w.errorLines === 0 && w.unexpectedCloses === 0;
      r.checkP99Ms = lat.fromAck.p99;
      r.checkDrainMs = w.complete ? w.allAt - check.endedAt : NaN;
      if (!r.allDelivered) {
        r.note =
          `${w.below} watchers short of ${check.acks.length} events (min ${w.minCount}); ${lat.expected - lat.matched} deliveries missing; ` +
          `${w.errorLines} ERROR events${w.errorLines ? ` (${w.lastError})` : ""}; ${w.unexpectedCloses} closed; ${check.errors} write errors`;
        problems.push(`ramp ${level}: ${r.note}`);
      }
      log(`  ramp ${current} watchers: connected in ${o.ms.toFixed(0)} ms; ${r.allDelivered ? "all events delivered" : "NOT all delivered"}; check p99 ${lat.fromAck.p99.toFixed(1)} ms`);
      if (!r.allDelivered) break;
      maxOk = current;
      if (api.child.exit) break;

      if (level === p.fanoutLevels[0]) {
        const flushesBefore = await readFlushTotals(api.port).catch(() => undefined);
        const steadyStart = performance.now();
        for (let i = 0; i < p.steadyRounds; i++) steady.push(await steadyRound(rounds, `steady round ${i + 1}`, current));
        const flushesAfter = await readFlushTotals(api.port).catch(() => undefined);
        if (flushesBefore && flushesAfter) {
          const events = steady.reduce((n, s) => n + s.latency.expected / Math.max(1, s.watchers), 0);
          steadyFlushes = flushStatsBetween(flushesBefore, flushesAfter, (performance.now() - steadyStart) / 1000, events);
        } else problems.push("the API server's /metrics could not be read around the steady rounds");
        for (let i = 0; i < p.burstRounds; i++) {
          burst.push(await burstRound(rounds, `burst round ${i + 1}`, current));
          await sleep(500);
        }
      }
    }

    // 4. the same steady load with watchers on all namespaces (no filter: one shared chunk per flush)
    const clusterWide: SteadyRound[] = [];
    if (p.clusterWideRounds > 0 && !api.child.exit) {
      await pool.closeAll();
      await sleep(500);
      const n = p.fanoutLevels[0]!;
      const o = await pool.open(api.port, watchPathAllNamespaces(await writer.currentRv()), n, 500);
      await sleep(1000);
      if (o.failed) problems.push(`all-namespaces watchers: ${o.failed} connections failed: ${o.lastConnectFailure}`);
      for (let i = 0; i < p.clusterWideRounds; i++) clusterWide.push(await steadyRound(rounds, `all-namespaces round ${i + 1}`, o.opened));
    }
    if (api.child.exit) problems.push(`the API server exited (${api.child.exit}): ${api.child.tail().slice(-2000)}`);
    await pool.closeAll();
    return { rss, levels, maxWatchersAllDelivered: maxOk, steadyAt: p.fanoutLevels[0]!, steady, burst, clusterWide, steadyFlushes, problems };
  } finally {
    await pool.closeAll().catch(() => undefined);
    await api.stop();
  }
}

/** Median of the steady rounds' p99 and of the burst rounds' deliveries/s. */
export function fanOutHeadline(r: FanOutResult): { p99: number; p50: number; deliveriesPerS: number; steadyDeliveriesPerS: number } {
  return {
    p99: median(r.steady.map((s) => s.latency.fromAck.p99)),
    p50: median(r.steady.map((s) => s.latency.fromAck.p50)),
    deliveriesPerS: median(r.burst.map((b) => b.deliveriesPerS)),
    steadyDeliveriesPerS: median(r.steady.map((s) => s.deliveriesPerS)),
  };
}
