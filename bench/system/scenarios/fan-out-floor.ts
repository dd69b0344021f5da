/**
 * Calibration: the same watch clients and the same steady load (1,000 watchers, 100 events/s)
 * against the reference server (reference-server-process.ts) instead of the API server. What it
 * measures is what this machine and this client can do at best with one writing thread — the
 * floor under the API server's fan-out latency, so a missed target can be read as "the API
 * server's overhead" or "the box".
 *
 * With `load`, the same paced Updates that feed the API server's steady rounds go to the backend
 * while the reference server emits (no API server, so no Watch stream): the backend's and the
 * writer's share of the two cores is then taken in both runs alike, and what is left between the
 * API server's p99 and this one is the API server's own. On two cores that share is large: the
 * writer and the backend together use about 0.4 of a core at 100 writes/s, and a `perf sched`
 * trace of a streaming window showed the API server waiting runnable for 1.7–3.5 ms behind them
 * (the writer's JIT thread, a backend write) in the middle of its flushes.
 */
import type { LatencySummary } from "../latency.ts";
import { pinProcess } from "../cpu-pin.ts";
import { procDelta } from "../proc-stats.ts";
import { freePort, launch } from "../launcher.ts";
import { LineChannel } from "../line-channel.ts";
import type { Profile } from "../profile.ts";
import type { WatchPool } from "../watch-pool.ts";
import type { WriteAck } from "../latency.ts";
import { pacedUpdates, type BackendWriter } from "../backend-writer.ts";

export interface FloorResult {
  watchers: number;
  latency: LatencySummary;
  /** Time the reference server spent writing one event to every socket. */
  writeMsPerEvent: number;
  complete: boolean;
  /** The reference server's CPU per 1,000 deliveries (ms), to set beside the API server's. */
  cpuMsPer1000: number;
  /** The CPUs it was pinned to (taskset -c), when pinned. */
  pinnedTo?: string;
  /** Set when the backend took the paced Updates meanwhile (`load`): how many, at what rate. */
  load?: { writes: number; achievedRate: number; errors: number };
}

export interface FloorOptions {
  /** `taskset -c` CPU list for the reference server. */
  pinTo?: string;
  /** The backend's writer: the steady rounds' paced Updates go to the backend during the run. */
  load?: BackendWriter;
  /** Watchers (default: the first fan-out level); the streaming comparison's count gives its reference. */
  watchers?: number;
}

let loadRound = 0;

export async function runFanOutFloor(p: Profile, pool: WatchPool, log: (s: string) => void, o: FloorOptions = {}): Promise<FloorResult> {
  const port = await freePort();
  const channel = new LineChannel();
  const child = await launch({
    name: "reference server",
    args: ["bench/system/reference-server-process.ts", String(port)],
    ready: /"ready":true/,
    stdinPipe: true,
    onStdout: channel.onStdout,
  });
  channel.attach(child);
  try {
    if (o.pinTo) pinProcess(child.pid, o.pinTo);
    const watchers = o.watchers ?? p.fanoutLevels[0]!;
    await pool.open(port, "/reference?watch=true", watchers, 500);
    await new Promise((r) => setTimeout(r, 500));
    await pool.mark(true);
    const count = Math.round((p.steadyRate * p.steadyMs) / 1000);
    const cpuBefore = child.sample();
    const writes = o.load
      ? pacedUpdates(o.load, { namespace: p.namespace, objects: p.objects, rate: p.steadyRate, count, tag: `reference-load-${loadRound++}` })
      : undefined;
    const r = await channel.request<{ acks: WriteAck[]; writeMsPerEvent: number; watchers: number }>({ op: "run", count, rate: p.steadyRate, firstRv: 1 }, p.steadyMs + 30_000);
    const paced = await writes;
    const w = await pool.wait(count, 10_000);
    const cpu = procDelta(cpuBefore, child.sample());
    const latency = await pool.latency(r.acks);
    const cpuMsPer1000 = (cpu.cpuSeconds * 1000) / Math.max(1, latency.matched / 1000);
    const load = paced && { writes: paced.acks.length, achievedRate: paced.achievedRate, errors: paced.errors };
    log(
      `  reference server${o.pinTo ? ` (pinned to CPU ${o.pinTo})` : ""}${load ? `, backend taking ${load.writes} Updates at ${load.achievedRate.toFixed(0)}/s meanwhile` : ""}, ${r.watchers} watchers × ${p.steadyRate}/s: p50 ${latency.fromAck.p50.toFixed(2)} ms, p99 ${latency.fromAck.p99.toFixed(2)} ms ` +
        `(emit → receipt); writing one event to all sockets took ${r.writeMsPerEvent.toFixed(2)} ms`,
    );
    return { watchers: r.watchers, latency, writeMsPerEvent: r.writeMsPerEvent, complete: w.complete, cpuMsPer1000, pinnedTo: o.pinTo, load };
  } finally {
    await pool.closeAll().catch(() => undefined);
    await channel.stop();
  }
}
