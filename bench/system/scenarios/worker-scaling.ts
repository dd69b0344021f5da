/**
 * How fan-out scales with API-server workers (api.workers, src/runtime/api-workers.ts), measured
 * side by side in one run: for each variant, an API server with that many workers, `fanoutLevels[0]`
 * (1,000) namespace-scoped watchers, `scalingRounds` steady rounds and one burst round
 * (fan-out-rounds.ts). Variants:
 *  - unpinned: workers 1, 2 and the machine's core count (when more than 2); everything shares the
 *    machine's cores, as in the headline fan-out figures;
 *  - pinned (taskset, cpu-pin.ts): the server side — the API server and the backend that feeds it —
 *    on the first half of the CPUs, the watch clients and this process (the writer: the load)
 *    on the rest; workers 1 and (with 4+ cores) one per server CPU. The reference raw-socket
 *    server (no backend) is pinned the same way, so the server's own floor — what it costs when its
 *    clients do not share its cores — is visible beside it.
 */
import { cpus } from "node:os";
import type { BackendWriter } from "../backend-writer.ts";
import { allCpus, canPin, pinProcess } from "../cpu-pin.ts";
import { median } from "../latency.ts";
import type { Profile } from "../profile.ts";
import { startApiServerProc, type BackendProc } from "../stack.ts";
import { watchPath, type WatchPool } from "../watch-pool.ts";
import { runFanOutFloor, type FloorResult } from "./fan-out-floor.ts";
import { apiCpuMsPer1000, burstRound, steadyRound, type BurstRound, type RoundContext, type SteadyRound } from "./fan-out-rounds.ts";

export interface ScalingVariant {
  workers: number;
  /** WATCH_FLUSH_DELAY when not the default (the shortest coalescing window). */
  flushDelay?: string;
  /** WATCH_FLUSH_BUSY_FACTOR when not the default (the window in flush durations). */
  busyFactor?: string;
  /** CPUs of the API server when pinned (taskset -c list); undefined = not pinned. */
  serverCpus?: string;
  steady: SteadyRound[];
  burst: BurstRound[];
  /** Medians over the steady rounds. */
  p50: number;
  p99: number;
  burstDeliveriesPerS: number;
  apiCpuMsPer1000: number;
}

export interface ScalingResult {
  watchers: number;
  variants: ScalingVariant[];
  /** The reference server pinned like the pinned variants (absent when pinning is not possible). */
  pinnedReference?: FloorResult;
  /** Why the pinned variants were skipped, when they were. */
  pinSkipped?: string;
  problems: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Planned {
  workers: number;
  flushDelay?: string;
  busyFactor?: string;
  serverCpus?: string;
  clientCpus?: string;
}

/**
 * Flush windows measured beside the default (watch.flush_delay 2ms, watch.flush_busy_factor 3), one
 * worker, unpinned: a fixed window (busy factor 0) at 2ms and 10ms, the narrower busy window of
 * factor 2, and no shortest window at all.
 * A window opens at a flush, so at 100 events/s a fixed window under 10 ms coalesces nothing; the
 * busy factor widens it while flushes take long (thousands of watchers).
 */
const FLUSH_VARIANTS: { flushDelay?: string; busyFactor?: string }[] = [{ busyFactor: "0" }, { flushDelay: "10ms", busyFactor: "0" }, { busyFactor: "2" }, { flushDelay: "0ms" }];

/** The variants this machine can run (see the file comment). */
function plan(): Planned[] {
  const n = cpus().length;
  const unpinned: Planned[] = [...new Set([1, 2, ...(n > 2 ? [n] : [])])].map((workers) => ({ workers }));
  unpinned.push(...FLUSH_VARIANTS.map((f) => ({ workers: 1, ...f })));
  if (!canPin()) return unpinned;
  const half = Math.max(1, Math.floor(n / 2));
  const serverCpus = half === 1 ? "0" : `0-${half - 1}`;
  const clientCpus = half === n - 1 ? String(half) : `${half}-${n - 1}`;
  const pinned = [...new Set([1, half])].map((workers) => ({ workers, serverCpus, clientCpus }));
  return [...unpinned, ...pinned];
}

/** How a variant is named in the log and the table. */
export function variantName(v: { workers: number; flushDelay?: string; busyFactor?: string; serverCpus?: string }): string {
  const flush = `${v.flushDelay !== undefined ? `, flush_delay ${v.flushDelay}` : ""}${v.busyFactor !== undefined ? `, busy factor ${v.busyFactor}` : ""}`;
  return `${v.workers} worker${v.workers > 1 ? "s" : ""}${flush}${v.serverCpus ? `, pinned to CPU ${v.serverCpus}` : ""}`;
}

/** Whether a variant runs the default flush settings. */
export function defaultFlush(v: { flushDelay?: string; busyFactor?: string }): boolean {
  return v.flushDelay === undefined && v.busyFactor === undefined;
}

export async function runWorkerScaling(p: Profile, backend: BackendProc, writer: BackendWriter, pool: WatchPool, log: (s: string) => void): Promise<ScalingResult> {
  const problems: string[] = [];
  const watchers = p.fanoutLevels[0]!;
  const variants: ScalingVariant[] = [];
  // The load side (watch clients, this process's writer); the backend is pinned with the API server.
  const others = [pool.process.pid, process.pid];
  const variantsPlanned = plan();
  const pins = variantsPlanned.some((v) => v.serverCpus);
  try {
    for (const v of variantsPlanned) {
      if (pins) for (const pid of others) pinProcess(pid, v.clientCpus ?? allCpus());
      const api = await startApiServerProc("streaming", backend.port, undefined, backend.access, { workers: v.workers, flushDelay: v.flushDelay, busyFactor: v.busyFactor });
      try {
        if (v.serverCpus) for (const pid of [api.child.pid, backend.child.pid]) pinProcess(pid, v.serverCpus);
        else if (pins) pinProcess(backend.child.pid, allCpus());
        const name = variantName(v);
        const targets = { backendPort: backend.port, backendAccess: backend.access, backend: backend.child, apiServer: api.child, wire: api.wire, client: pool.process };
        const rounds: RoundContext = { p, writer, pool, targets, problems, log };
        const o = await pool.open(api.port, watchPath(p.namespace, await writer.currentRv()), watchers, 500);
        if (o.failed) problems.push(`${name}: ${o.failed} connections failed: ${o.lastConnectFailure}`);
        await sleep(1000);
        const steady: SteadyRound[] = [];
        for (let i = 0; i < p.scalingRounds; i++) steady.push(await steadyRound(rounds, `${name}, steady round ${i + 1}`, o.opened));
        const burst = [await burstRound(rounds, `${name}, burst`, o.opened)];
        if (api.child.exit) problems.push(`${name}: the API server exited (${api.child.exit}): ${api.child.tail().slice(-2000)}`);
        variants.push({
          workers: v.workers,
          flushDelay: v.flushDelay,
          busyFactor: v.busyFactor,
          serverCpus: v.serverCpus,
          steady,
          burst,
          p50: median(steady.map((s) => s.latency.fromAck.p50)),
          p99: median(steady.map((s) => s.latency.fromAck.p99)),
          burstDeliveriesPerS: median(burst.map((b) => b.deliveriesPerS)),
          apiCpuMsPer1000: median(steady.map(apiCpuMsPer1000)),
        });
      } finally {
        await pool.closeAll().catch(() => undefined);
        await api.stop();
      }
    }
    const pinnedPlan = variantsPlanned.find((v) => v.serverCpus);
    let pinnedReference: FloorResult | undefined;
    if (pinnedPlan) {
      for (const pid of others) pinProcess(pid, pinnedPlan.clientCpus!);
      log("  reference server, pinned like the pinned variants:");
      pinnedReference = await runFanOutFloor(p, pool, log, { pinTo: pinnedPlan.serverCpus });
    }
    return { watchers, variants, pinnedReference, pinSkipped: pinnedPlan ? undefined : "taskset is missing or the machine has one CPU", problems };
  } finally {
    if (pins) for (const pid of [...others, backend.child.pid]) pinProcess(pid, allCpus());
  }
}
