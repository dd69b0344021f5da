/**
 * Backend CPU under the paced writes, streaming against polling, in alternating rounds. One window
 * per mode (mode-comparison.ts) moves by ±20% from run to run on a shared 2-core machine — the
 * backend's own garbage collection and JIT, and whatever else runs — which is as large as the
 * difference being measured. So after the main comparison, each round starts an API server in one
 * mode, connects the same watchers, warms it up (api-warm-up.ts), measures the backend's CPU over `cpuRoundMs` of the same
 * Updates, stops it, and does the same in the other mode; the order alternates from round to round
 * so drift favours neither. The figure is the median of the rounds' streaming ÷ polling ratios
 * (each taken between two adjacent windows). The streaming windows also give latency samples.
 */
import type { BackendWriter } from "../backend-writer.ts";
import { pacedUpdates } from "../backend-writer.ts";
import { median, type LatencySummary } from "../latency.ts";
import { procDelta } from "../proc-stats.ts";
import type { Profile } from "../profile.ts";
import { startApiServerProc, type BackendProc } from "../stack.ts";
import { warmUpApiServer } from "../api-warm-up.ts";
import { watchPath, type WatchPool } from "../watch-pool.ts";

export interface CpuRound {
  /** Backend CPU seconds over the writes, per mode. */
  streaming: number;
  polling: number;
  /** Latency of the streaming window's deliveries (receipt − acknowledgement). */
  streamingLatency: LatencySummary;
}

export interface ModeCpuRounds {
  rounds: CpuRound[];
  writesPerWindow: number;
  /** Median over the rounds of streaming ÷ polling. */
  medianRatio: number;
  problems: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let tag = 0;

/** One window: an API server in `mode`, the watchers, the writes; the backend's CPU seconds over them. */
async function cpuWindow(
  mode: "streaming" | "polling",
  p: Profile,
  backend: BackendProc,
  writer: BackendWriter,
  pool: WatchPool,
  problems: string[],
): Promise<{ cpu: number; latency?: LatencySummary }> {
  const api = await startApiServerProc(mode, backend.port, p.pollingInterval, backend.access);
  try {
    const rv = await writer.currentRv();
    const open = await pool.open(api.port, watchPath(p.namespace, rv), p.modeWatchers);
    if (open.failed) problems.push(`${mode} round: ${open.failed} watch connections failed: ${open.lastConnectFailure}`);
    await sleep(1500); // the stream's snapshot or the first poll is done before the window
    // Streaming counts the window's deliveries, so its warm-up must be delivered first (a matter of
    // milliseconds); polling goes on at once, so both windows follow the warm-up writes alike.
    const warm = await warmUpApiServer(mode, p, writer, pool, mode === "streaming");
    if (warm && !warm.complete) problems.push(`${mode} round: ${warm.below} of ${warm.watchers} watchers did not get the API server's warm-up writes`);
    if (mode === "streaming") await pool.mark(true);
    const before = backend.child.sample();
    const count = Math.round((p.loadRate * p.cpuRoundMs) / 1000);
    const paced = await pacedUpdates(writer, { namespace: p.namespace, objects: p.objects, rate: p.loadRate, count, tag: `cpu-${mode}-${tag++}` });
    const cpu = procDelta(before, backend.child.sample()).cpuSeconds;
    if (paced.errors) problems.push(`${mode} round: ${paced.errors} writes failed: ${paced.lastError}`);
    if (mode === "polling") return { cpu };
    await pool.wait(paced.acks.length, 5000);
    const latency = await pool.latency(paced.acks);
    if (latency.matched !== latency.expected) problems.push(`streaming round: ${latency.expected - latency.matched} deliveries missing (of ${latency.expected})`);
    return { cpu, latency };
  } finally {
    await pool.closeAll().catch(() => undefined);
    await api.stop();
  }
}

export async function runModeCpuRounds(p: Profile, backend: BackendProc, writer: BackendWriter, pool: WatchPool, log: (s: string) => void): Promise<ModeCpuRounds> {
  const problems: string[] = [];
  const rounds: CpuRound[] = [];
  for (let i = 0; i < p.cpuRounds; i++) {
    const order: ("streaming" | "polling")[] = i % 2 === 0 ? ["polling", "streaming"] : ["streaming", "polling"];
    const got: Partial<Record<"streaming" | "polling", { cpu: number; latency?: LatencySummary }>> = {};
    for (const mode of order) got[mode] = await cpuWindow(mode, p, backend, writer, pool, problems);
    const round = { streaming: got.streaming!.cpu, polling: got.polling!.cpu, streamingLatency: got.streaming!.latency! };
    rounds.push(round);
    log(
      `  round ${i + 1} (${order.join(" then ")}): backend CPU streaming ${round.streaming.toFixed(2)} s, polling ${round.polling.toFixed(2)} s ` +
        `(${(round.streaming / round.polling).toFixed(2)}×); streaming p99 ${round.streamingLatency.fromAck.p99.toFixed(2)} ms`,
    );
  }
  return {
    rounds,
    writesPerWindow: Math.round((p.loadRate * p.cpuRoundMs) / 1000),
    medianRatio: median(rounds.map((r) => r.streaming / r.polling)),
    problems,
  };
}
