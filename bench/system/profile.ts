/**
 * Sizes of one run. `--quick` must finish in under three minutes on a 2-core machine, so it keeps
 * every scenario but shortens windows and the fan-out ramp; the full run aims at ≤ 10 minutes.
 * Both modes always get the same workload within a run.
 */

export interface Profile {
  quick: boolean;
  /** NETGUARD_STORAGE of the backend. */
  storage: string;
  /** Namespace of the watched Services. */
  namespace: string;
  /** Services preloaded (one Sync); the paced writer cycles over them. */
  objects: number;
  /** Watchers during the streaming/polling comparison. */
  modeWatchers: number;
  /** Idle window per mode (no writes, watchers connected). */
  idleMs: number;
  /** Paced Updates before the first mode (same rate as the load), so no mode pays the backend's warm-up. */
  warmupMs: number;
  /** Paced Updates through each new API server before its first measured window (api-warm-up.ts). */
  apiWarmupWrites: number;
  /** Paced Update rate and duration of the load window per mode. */
  loadRate: number;
  loadMs: number;
  /** Alternating streaming/polling rounds measuring the backend's CPU under the same writes (scenarios/mode-cpu-rounds.ts). */
  cpuRounds: number;
  cpuRoundMs: number;
  /** Polling interval of the polling API server (the default). */
  pollingInterval: string;
  pollingIntervalMs: number;
  /** Watchers held idle to measure RSS per watcher. */
  rssWatchers: number;
  /** Fan-out ramp (watchers); the first level is also where throughput and p99 are measured. */
  fanoutLevels: number[];
  /** Events written per ramp level to check that every watcher gets every event. */
  checkEvents: number;
  checkRate: number;
  /** Steady 100 events/s rounds at the first ramp level. */
  steadyRounds: number;
  steadyMs: number;
  steadyRate: number;
  /** Steady rounds per worker-scaling variant (scenarios/worker-scaling.ts; each also gets one burst). */
  scalingRounds: number;
  /** Steady rounds with all-namespaces watchers (after the ramp). */
  clusterWideRounds: number;
  /** Burst rounds: `burstBatches` Sync batches of `burstBatchSize` changes, back to back. */
  burstRounds: number;
  burstBatches: number;
  burstBatchSize: number;
  /** Write throughput: Kubernetes POSTs (with this concurrency) and Sync batches. */
  postObjects: number;
  postConcurrency: number;
  syncObjects: number;
  syncBatch: number;
}

export function profileFor(quick: boolean, storage: string): Profile {
  const common = {
    quick,
    storage,
    namespace: "bench",
    objects: 1000,
    pollingInterval: "5s",
    pollingIntervalMs: 5000,
    loadRate: 100,
    steadyRate: 100,
    checkEvents: 20,
    checkRate: 20,
    burstBatchSize: 500,
    postConcurrency: 16,
    syncBatch: 500,
  };
  if (quick) {
    return {
      ...common,
      modeWatchers: 100,
      idleMs: 10_000,
      warmupMs: 3_000,
      apiWarmupWrites: 100,
      loadMs: 5_000,
      cpuRounds: 2,
      cpuRoundMs: 5_000,
      rssWatchers: 2000,
      fanoutLevels: [1000, 2000],
      steadyRounds: 1,
      steadyMs: 5_000,
      scalingRounds: 1,
      clusterWideRounds: 1,
      burstRounds: 1,
      burstBatches: 4,
      postObjects: 300,
      syncObjects: 2000,
    };
  }
  return {
    ...common,
    modeWatchers: 100,
    idleMs: 30_000,
    warmupMs: 10_000,
    apiWarmupWrites: 500,
    loadMs: 20_000,
    cpuRounds: 4,
    cpuRoundMs: 10_000,
    rssWatchers: 10_000,
    fanoutLevels: [1000, 2000, 5000, 10_000],
    steadyRounds: 3,
    steadyMs: 10_000,
    scalingRounds: 2,
    clusterWideRounds: 3,
    burstRounds: 3,
    burstBatches: 5,
    postObjects: 2000,
    syncObjects: 5_000,
  };
}

/** How long to wait for every watcher to get a write: a poller sees it at its next List, up to one interval later. */
export function deliveryTimeoutMs(mode: "streaming" | "polling", p: Profile): number {
  return mode === "polling" ? p.pollingIntervalMs + 5000 : 5000;
}
