/**
 * Turns the scenario results into the human table, the target verdicts and the final JSON line,
 * and (with --write-readme) puts the table between the README's bench:system markers — so every
 * figure quoted in the README is this script's own output.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import type { HostCpu } from "./host-cpu.ts";
import { join } from "node:path";
import type { ModeResult } from "./scenarios/mode-comparison.ts";
import type { ModeCpuRounds } from "./scenarios/mode-cpu-rounds.ts";
import { fanOutHeadline, type FanOutResult } from "./scenarios/fan-out.ts";
import type { WriteThroughput } from "./scenarios/write-throughput.ts";
import type { FloorResult } from "./scenarios/fan-out-floor.ts";
import { variantName, type ScalingResult } from "./scenarios/worker-scaling.ts";
import { apiCpuMsPer1000 } from "./scenarios/fan-out-rounds.ts";
import { measuredText, streamingP99s, verdicts, verdictText, wireBytesPerEvent } from "./targets.ts";
import type { Profile } from "./profile.ts";
import { median } from "./latency.ts";
import { REPO_ROOT } from "./launcher.ts";

export interface Machine {
  cores: number;
  cpu: string;
  runtime: string;
  date: string;
  quick: boolean;
  storage: string;
  /** 1-minute load average when the run started (other work on the box shows up here). */
  loadAtStart: number;
}

export interface Results {
  machine: Machine;
  profile: Profile;
  preload: { objects: number; ms: number };
  modes: { streaming: ModeResult; polling: ModeResult };
  /** The backend's CPU in alternating streaming/polling rounds (and the streaming rounds' latency). */
  modeCpu: ModeCpuRounds;
  /** The raw-socket reference at the comparison's watcher count, alone and while the backend takes the writes. */
  modeFloor: { alone: FloorResult; loaded: FloorResult };
  fanout: FanOutResult;
  floor: FloorResult;
  /** The same reference run while the backend takes the steady rounds' paced Updates (fan-out-floor.ts `load`). */
  floorLoaded: FloorResult;
  /** Fan-out with 1, 2, … API-server workers, unpinned and pinned apart from the clients. */
  scaling: ScalingResult;
  writes: WriteThroughput;
  wallSeconds: number;
  /** CPU the host spent outside the benchmark's processes over the run (host-cpu.ts); absent without /proc. */
  host?: HostCpu;
}

export function machineInfo(quick: boolean, storage: string): Machine {
  let cpu = cpus()[0]?.model ?? "unknown";
  try {
    cpu = /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1]?.trim() ?? cpu;
  } catch {
    // not Linux: keep os.cpus()
  }
  return {
    cores: cpus().length,
    cpu,
    runtime: typeof Bun !== "undefined" ? `bun ${Bun.version}` : `node ${process.version}`,
    date: new Date().toISOString().slice(0, 10),
    quick,
    storage,
    loadAtStart: Number(loadavg()[0]!.toFixed(2)),
  };
}

const f = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : "n/a");
const int = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString("en-US") : "n/a");
const ratio = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? `${f(a / b, 1)}×` : a === 0 && b === 0 ? "—" : "∞");
const mib = (kib: number) => f(kib / 1024, 1);

function pad(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ").trimEnd());
}

/** The worker-scaling table: each variant beside the reference server. */
function renderScaling(r: Results): string[] {
  const sc = r.scaling;
  const pr = r.profile;
  const out = [
    `Worker scaling and coalescing — api.workers (threads on one port, SO_REUSEPORT) and the flush window (watch.flush_delay, default 2ms; watch.flush_busy_factor, default 3), ${int(sc.watchers)} namespace-scoped watchers, ` +
      `${pr.scalingRounds} steady round(s) of ${pr.steadyRate} events/s and one burst per variant; pinned = API server and backend on their CPUs (taskset), ` +
      `watch clients and writer on the others.`,
  ];
  const rows: string[][] = [["variant", "p50 (ms)", "p99 (ms)", "p99 ÷ reference", "burst deliveries/s", "API CPU ms / 1,000 deliveries"]];
  const ref = r.floor.latency.fromAck.p99;
  for (const v of sc.variants) {
    const pinRef = v.serverCpus ? sc.pinnedReference?.latency.fromAck.p99 : ref;
    rows.push([
      variantName(v),
      f(v.p50, 2),
      f(v.p99, 2),
      pinRef ? ratio(v.p99, pinRef) : "n/a",
      int(v.burstDeliveriesPerS),
      f(v.apiCpuMsPer1000, 2),
    ]);
  }
  rows.push(["reference server (unpinned)", f(r.floor.latency.fromAck.p50, 2), f(ref, 2), "1.0×", "", f(r.floor.cpuMsPer1000, 2)]);
  const fl = r.floorLoaded;
  rows.push(["reference server, backend taking the writes", f(fl.latency.fromAck.p50, 2), f(fl.latency.fromAck.p99, 2), ratio(fl.latency.fromAck.p99, ref), "", f(fl.cpuMsPer1000, 2)]);
  const pr2 = sc.pinnedReference;
  if (pr2) rows.push([`reference server, pinned to CPU ${pr2.pinnedTo}`, f(pr2.latency.fromAck.p50, 2), f(pr2.latency.fromAck.p99, 2), "1.0×", "", f(pr2.cpuMsPer1000, 2)]);
  out.push(...pad(rows));
  if (sc.pinSkipped) out.push(`pinned variants skipped: ${sc.pinSkipped}`);
  return out;
}

export function renderTable(r: Results): string {
  const { streaming: s, polling: p } = r.modes;
  const m = r.machine;
  const pr = r.profile;
  const out: string[] = [];
  out.push(
    `netguard system benchmark${m.quick ? " (--quick)" : ""}: ${m.date}, ${m.cores} cores (${m.cpu}), ${m.runtime}, backend storage ${m.storage}; ` +
      `wall time ${f(r.wallSeconds, 0)} s; 1-min load average ${f(m.loadAtStart, 2)} at the start, ${f(loadavg()[0]!, 2)} at the end` +
      (r.host ? `; outside the benchmark's processes the host used ${f(r.host.otherCores, 2)} of a core on average (${f(r.host.stealCores, 2)} more stolen by the hypervisor)` : ""),
  );
  out.push("");
  out.push(
    `Streaming vs polling — same workload for both: ${int(pr.objects)} Services, ${pr.modeWatchers} watchers (raw HTTP/1.1 sockets, ` +
      `separate process), ${pr.loadRate} Connect Updates/s to the backend for ${pr.loadMs / 1000} s; polling interval ${pr.pollingInterval}.`,
  );
  out.push("Latency = receipt at the watch client − acknowledgement of the Connect Update at the writer (wall clock, both on this host).");
  out.push("Bytes are as sent on the API server↔backend hop: Connect gzips messages of 1 KiB and more: List pages and the batched Watch messages of bursts (WatchReq.batch), not a change alone.");
  const perMinCpu = (d: { cpuSeconds: number }, ms: number) => f((d.cpuSeconds * 60_000) / ms, 2);
  const rows: string[][] = [
    ["", "streaming", "polling", "polling/streaming"],
    ["latency p50 (ms)", f(s.latency.fromAck.p50, 2), f(p.latency.fromAck.p50, 0), ratio(p.latency.fromAck.p50, s.latency.fromAck.p50)],
    ["latency p90 (ms)", f(s.latency.fromAck.p90, 2), f(p.latency.fromAck.p90, 0), ratio(p.latency.fromAck.p90, s.latency.fromAck.p90)],
    ["latency p99 (ms)", f(s.latency.fromAck.p99, 2), f(p.latency.fromAck.p99, 0), ratio(p.latency.fromAck.p99, s.latency.fromAck.p99)],
    ["latency max (ms)", f(s.latency.fromAck.max, 2), f(p.latency.fromAck.max, 0), ratio(p.latency.fromAck.max, s.latency.fromAck.max)],
    ["latency from send, p50 (ms)", f(s.latency.fromSend.p50, 2), f(p.latency.fromSend.p50, 0), ""],
    ["first watcher per event, p50 / p99 (ms)", `${f(s.latency.firstFromAck.p50, 2)} / ${f(s.latency.firstFromAck.p99, 2)}`, `${f(p.latency.firstFromAck.p50, 0)} / ${f(p.latency.firstFromAck.p99, 0)}`, ""],
    ["first→last watcher spread, p50 / p99 (ms)", `${f(s.latency.spread.p50, 2)} / ${f(s.latency.spread.p99, 2)}`, `${f(p.latency.spread.p50, 0)} / ${f(p.latency.spread.p99, 0)}`, ""],
    ["deliveries received / expected", `${int(s.latency.matched)}/${int(s.latency.expected)}`, `${int(p.latency.matched)}/${int(p.latency.expected)}`, ""],
    ["idle: backend List calls/min", f(s.idle.listPerMin, 1), f(p.idle.listPerMin, 1), ratio(p.idle.listPerMin, s.idle.listPerMin)],
    ["idle: API-server RPCs/min (all)", f(s.idle.apiServerRpcsPerMin, 1), f(p.idle.apiServerRpcsPerMin, 1), ""],
    ["idle: bytes/min API server↔backend", int(s.idle.wireBytesPerMin), int(p.idle.wireBytesPerMin), ratio(p.idle.wireBytesPerMin, s.idle.wireBytesPerMin)],
    ["idle: backend CPU s/min", perMinCpu(s.idle.backend, s.idle.ms), perMinCpu(p.idle.backend, p.idle.ms), ratio(p.idle.backend.cpuSeconds, s.idle.backend.cpuSeconds)],
    ["idle: API server CPU s/min", perMinCpu(s.idle.apiServer, s.idle.ms), perMinCpu(p.idle.apiServer, p.idle.ms), ratio(p.idle.apiServer.cpuSeconds, s.idle.apiServer.cpuSeconds)],
    ["idle: backend RSS (MiB)", mib(s.idle.backend.rssKiB), mib(p.idle.backend.rssKiB), ""],
    ["idle: API server RSS (MiB)", mib(s.idle.apiServer.rssKiB), mib(p.idle.apiServer.rssKiB), ""],
    ["load: backend List calls/min", f(s.load.listPerMin, 1), f(p.load.listPerMin, 1), ""],
    ["load: bytes API server↔backend per write", int(s.load.wireBytes / Math.max(1, s.writes)), int(p.load.wireBytes / Math.max(1, p.writes)), ratio(p.load.wireBytes, s.load.wireBytes)],
    ["load: backend CPU (% of a core)", f(s.load.backend.cpuShare * 100, 0), f(p.load.backend.cpuShare * 100, 0), ""],
    ["while writing: backend CPU (s)", f(s.during.backend.cpuSeconds, 2), f(p.during.backend.cpuSeconds, 2), ratio(p.during.backend.cpuSeconds, s.during.backend.cpuSeconds)],
    ["while writing: API server CPU (s)", f(s.during.apiServer.cpuSeconds, 2), f(p.during.apiServer.cpuSeconds, 2), ratio(p.during.apiServer.cpuSeconds, s.during.apiServer.cpuSeconds)],
    ["load: API server CPU (% of a core)", f(s.load.apiServer.cpuShare * 100, 0), f(p.load.apiServer.cpuShare * 100, 0), ""],
    ["load: backend RSS (MiB)", mib(s.load.backend.rssKiB), mib(p.load.backend.rssKiB), ""],
    ["load: API server RSS (MiB)", mib(s.load.apiServer.rssKiB), mib(p.load.apiServer.rssKiB), ""],
  ];
  out.push(...pad(rows));
  const mc = r.modeCpu;
  out.push(
    `Backend CPU while writing, alternating rounds (${pr.modeWatchers} watchers, ${int(mc.writesPerWindow)} Updates at ${pr.loadRate}/s per window, order alternating): ` +
      mc.rounds.map((x, i) => `round ${i + 1} streaming ${f(x.streaming, 2)} s ÷ polling ${f(x.polling, 2)} s = ${f(x.streaming / x.polling, 2)}×`).join("; ") +
      `; median ${f(mc.medianRatio, 2)}×.`,
  );
  out.push(`Streaming p99 per window (the comparison above, then each round's streaming window): ${streamingP99s(r).map((x) => f(x, 2)).join(", ")} ms; median ${f(median(streamingP99s(r)), 2)} ms.`);
  const mf = r.modeFloor;
  out.push(
    `Raw-socket reference at ${int(mf.alone.watchers)} watchers (same clients, ${pr.steadyRate} events/s, emit → receipt): p50 ${f(mf.alone.latency.fromAck.p50, 2)} ms, ` +
      `p99 ${f(mf.alone.latency.fromAck.p99, 2)} ms alone; p50 ${f(mf.loaded.latency.fromAck.p50, 2)} ms, p99 ${f(mf.loaded.latency.fromAck.p99, 2)} ms while the backend takes ` +
      `${int(mf.loaded.load?.writes ?? 0)} paced Updates from the writer (no API server, no Watch stream).`,
  );
  out.push("");

  const fo = r.fanout;
  const h = fanOutHeadline(fo);
  out.push("Fan-out — one streaming API server; watchers in a separate client process on the same 2 cores.");
  const lrows: string[][] = [["watchers", "connect (ms)", "all events delivered", `p99 of ${pr.checkEvents} check events (ms)`]];
  for (const l of fo.levels) lrows.push([int(l.watchers), int(l.connectMs), l.allDelivered ? "yes" : `NO: ${l.note}`, f(l.checkP99Ms, 1)]);
  out.push(...pad(lrows));
  out.push(`largest watcher count with every event delivered: ${int(fo.maxWatchersAllDelivered)} (ramp ${pr.fanoutLevels.map(int).join(", ")})`);
  const st = fo.steady;
  if (st.length) {
    out.push(
      `steady ${pr.steadyRate} events/s × ${int(fo.steadyAt)} watchers (${st.length} round(s) of ${pr.steadyMs / 1000} s, medians): ` +
        `p50 ${f(h.p50, 2)} ms, p99 ${f(h.p99, 2)} ms, max ${f(Math.max(...st.map((x) => x.latency.fromAck.max)), 1)} ms; ` +
        `first watcher p50 ${f(median(st.map((x) => x.latency.firstFromAck.p50)), 2)} ms / p99 ${f(median(st.map((x) => x.latency.firstFromAck.p99)), 2)} ms, ` +
        `first→last spread p50 ${f(median(st.map((x) => x.latency.spread.p50)), 2)} ms / p99 ${f(median(st.map((x) => x.latency.spread.p99)), 2)} ms; ` +
        `${int(h.steadyDeliveriesPerS)} deliveries/s; API server CPU ${f(st[0]!.window.apiServer.cpuShare * 100, 0)}%, ` +
        `client process CPU ${f(st[0]!.window.client.cpuShare * 100, 0)}%, backend CPU ${f(st[0]!.window.backend.cpuShare * 100, 0)}%, ` +
        `bench process (writer) CPU ${f(st[0]!.window.bench.cpuShare * 100, 0)}%`,
    );
  }
  const sf = fo.steadyFlushes;
  if (sf) {
    out.push(
      `flushes over those rounds, from the API server's netguard_apiserver_watch_flush_duration_seconds: ${int(sf.flushes)} (${f(sf.perSecond, 1)}/s), ` +
        `mean ${f(sf.meanMs, 2)} ms each to write to every watcher, ${f(sf.eventsPerFlush, 2)} events per flush`,
    );
  }
  const cw = fo.clusterWide;
  if (cw.length) {
    out.push(
      `same steady load, ${int(cw[0]!.watchers)} all-namespaces watchers ` +
        `(${cw.length} round(s), medians): p50 ${f(median(cw.map((x) => x.latency.fromAck.p50)), 2)} ms, p99 ${f(median(cw.map((x) => x.latency.fromAck.p99)), 2)} ms; ` +
        `API server CPU ${f(median(cw.map((x) => x.window.apiServer.cpuShare * 100)), 0)}% (namespace-scoped: ${f(median(st.map((x) => x.window.apiServer.cpuShare * 100)), 0)}%)`,
    );
  }
  for (const [i, b] of fo.burst.entries()) {
    out.push(
      `burst ${i + 1}: ${pr.burstBatches} Sync batches × ${pr.burstBatchSize} changes = ${int(b.events)} events × ${int(fo.steadyAt)} watchers in ` +
        `${f(b.ms / 1000, 2)} s → ${int(b.deliveriesPerS)} deliveries/s${b.complete ? "" : " (INCOMPLETE)"}; ` +
        `API server CPU ${f(b.window.apiServer.cpuShare * 100, 0)}%, client CPU ${f(b.window.client.cpuShare * 100, 0)}%`,
    );
  }
  const fl = r.floor;
  out.push(
    `reference (raw Bun.listen server, no backend, same clients and load, emit → receipt): p50 ${f(fl.latency.fromAck.p50, 2)} ms, ` +
      `p99 ${f(fl.latency.fromAck.p99, 2)} ms, spread p99 ${f(fl.latency.spread.p99, 2)} ms; one event to ${int(fl.watchers)} sockets took ` +
      `${f(fl.writeMsPerEvent, 2)} ms of writes → API server p99 is ${ratio(h.p99, fl.latency.fromAck.p99)} the reference`,
  );
  const lo = r.floorLoaded;
  out.push(
    `reference again while the backend takes the same ${int(lo.load?.writes ?? 0)} paced Updates (${f(lo.load?.achievedRate ?? 0, 0)}/s; no API server, no Watch stream): ` +
      `p50 ${f(lo.latency.fromAck.p50, 2)} ms, p99 ${f(lo.latency.fromAck.p99, 2)} ms, spread p99 ${f(lo.latency.spread.p99, 2)} ms → ` +
      `API server p99 is ${ratio(h.p99, lo.latency.fromAck.p99)} this one${lo.load?.errors ? ` (${lo.load.errors} writes failed)` : ""}`,
  );
  out.push(
    `CPU per 1,000 deliveries at steady load: API server ${f(median(fo.steady.map(apiCpuMsPer1000)), 2)} ms (1 worker), reference server ${f(fl.cpuMsPer1000, 2)} ms`,
  );
  const wire = wireBytesPerEvent(r);
  out.push(
    `bytes API server↔backend per event: streaming ${int(wire.streamingSteady)} B one event at a time, ${int(wire.streamingBurst)} B in Sync bursts (batched Watch messages); ` +
      `polling ${int(wire.polling)} B (its Lists, per write)`,
  );
  out.push(
    `idle memory: API server RSS ${mib(fo.rss.baseKiB)} MiB with ${fo.rss.baseWatchers} watchers → ${mib(fo.rss.kiB)} MiB with ${int(fo.rss.watchers)} ` +
      `= ${f(fo.rss.kibPerWatcher, 2)} KiB per idle watcher`,
  );
  out.push("");
  out.push(...renderScaling(r));
  out.push("");
  const w = r.writes;
  out.push(
    `Write throughput: Kubernetes API POST ${int(w.postPerS)} objects/s (${int(w.postObjects)} Services, ${pr.postConcurrency} concurrent` +
      `${w.postErrors ? `, ${w.postErrors} errors` : ""}); Connect Sync ${int(w.syncPerS)} objects/s (${int(w.syncObjects)} in batches of ${w.syncBatch}); ` +
      `preload Sync of ${int(r.preload.objects)} in ${int(r.preload.ms)} ms.`,
  );
  out.push("");
  out.push("Targets (measured, not asserted):");
  const trows: string[][] = [["target", "goal", "measured", "verdict", "beside"]];
  for (const v of verdicts(r)) trows.push([v.name, v.target, measuredText(v), verdictText(v), v.reference]);
  out.push(...pad(trows));
  const problems = [
    ...r.modes.streaming.problems.map((x) => `streaming: ${x}`),
    ...r.modes.polling.problems.map((x) => `polling: ${x}`),
    ...r.modeCpu.problems.map((x) => `backend CPU rounds: ${x}`),
    ...fo.problems.map((x) => `fan-out: ${x}`),
    ...r.scaling.problems.map((x) => `worker scaling: ${x}`),
  ];
  if (w.postErrors) problems.push(`write throughput: ${w.postErrors} POSTs failed, last: ${w.lastPostError}`);
  out.push("");
  out.push(problems.length ? `Problems seen:\n${problems.map((x) => `  - ${x}`).join("\n")}` : "Problems seen: none (no lost events, no ERROR events, no dropped watches, no crashes).");
  return out.join("\n");
}

const round = (x: number, d = 3) => (Number.isFinite(x) ? Number(x.toFixed(d)) : null);

export function renderJson(r: Results): string {
  const { streaming: s, polling: p } = r.modes;
  const h = fanOutHeadline(r.fanout);
  const lat = (m: ModeResult) => ({
    p50: round(m.latency.fromAck.p50),
    p90: round(m.latency.fromAck.p90),
    p99: round(m.latency.fromAck.p99),
    max: round(m.latency.fromAck.max),
    from_send_p50: round(m.latency.fromSend.p50),
    from_send_p99: round(m.latency.fromSend.p99),
    first_watcher_p50: round(m.latency.firstFromAck.p50),
    first_watcher_p99: round(m.latency.firstFromAck.p99),
    spread_p99: round(m.latency.spread.p99),
    delivered: m.latency.matched,
    expected: m.latency.expected,
  });
  const win = (x: ModeResult["idle"]) => ({
    list_calls_per_min: round(x.listPerMin, 2),
    api_server_rpcs_per_min: round(x.apiServerRpcsPerMin, 2),
    wire_bytes: x.wireBytes,
    wire_bytes_per_min: Math.round(x.wireBytesPerMin),
    backend_cpu_s: round(x.backend.cpuSeconds, 2),
    api_server_cpu_s: round(x.apiServer.cpuSeconds, 2),
    backend_rss_kib: x.backend.rssKiB,
    api_server_rss_kib: x.apiServer.rssKiB,
    window_s: round(x.ms / 1000, 1),
  });
  return JSON.stringify({
    machine: r.machine,
    wall_s: round(r.wallSeconds, 1),
    host_other_cores: r.host ? round(r.host.otherCores, 3) : null,
    host_steal_cores: r.host ? round(r.host.stealCores, 3) : null,
    latency_ms: { streaming: lat(s), polling: lat(p) },
    latency_ratio_polling_vs_streaming: { p50: round(p.latency.fromAck.p50 / s.latency.fromAck.p50, 1), p99: round(p.latency.fromAck.p99 / s.latency.fromAck.p99, 1) },
    idle_list_calls_per_min: { streaming: round(s.idle.listPerMin, 2), polling: round(p.idle.listPerMin, 2) },
    idle: { streaming: win(s.idle), polling: win(p.idle) },
    load: { streaming: { ...win(s.load), writes: s.writes }, polling: { ...win(p.load), writes: p.writes } },
    fanout: {
      watchers: r.fanout.maxWatchersAllDelivered,
      deliveries_per_s: Math.round(h.deliveriesPerS),
      steady_deliveries_per_s: Math.round(h.steadyDeliveriesPerS),
      p99_ms: round(h.p99),
      p50_ms: round(h.p50),
      first_watcher_p99_ms: round(median(r.fanout.steady.map((x) => x.latency.firstFromAck.p99))),
      all_namespaces_p50_ms: round(median(r.fanout.clusterWide.map((x) => x.latency.fromAck.p50))),
      all_namespaces_p99_ms: round(median(r.fanout.clusterWide.map((x) => x.latency.fromAck.p99))),
      spread_p99_ms: round(median(r.fanout.steady.map((x) => x.latency.spread.p99))),
      flushes_per_s: round(r.fanout.steadyFlushes?.perSecond ?? NaN, 2),
      flush_mean_ms: round(r.fanout.steadyFlushes?.meanMs ?? NaN),
      events_per_flush: round(r.fanout.steadyFlushes?.eventsPerFlush ?? NaN, 2),
      at_watchers: r.fanout.steadyAt,
      levels: r.fanout.levels.map((l) => ({ watchers: l.watchers, all_delivered: l.allDelivered, check_p99_ms: round(l.checkP99Ms, 2), connect_ms: Math.round(l.connectMs) })),
    },
    fanout_reference: {
      watchers: r.floor.watchers,
      p50_ms: round(r.floor.latency.fromAck.p50),
      p99_ms: round(r.floor.latency.fromAck.p99),
      write_ms_per_event: round(r.floor.writeMsPerEvent),
      complete: r.floor.complete,
    },
    streaming_reference: {
      watchers: r.modeFloor.alone.watchers,
      p99_ms: round(r.modeFloor.alone.latency.fromAck.p99),
      p99_backend_loaded_ms: round(r.modeFloor.loaded.latency.fromAck.p99),
    },
    fanout_reference_loaded: {
      watchers: r.floorLoaded.watchers,
      p50_ms: round(r.floorLoaded.latency.fromAck.p50),
      p99_ms: round(r.floorLoaded.latency.fromAck.p99),
      write_ms_per_event: round(r.floorLoaded.writeMsPerEvent),
      complete: r.floorLoaded.complete,
      backend_writes: r.floorLoaded.load?.writes ?? 0,
    },
    rss_kib_per_idle_watcher: round(r.fanout.rss.kibPerWatcher, 2),
    backend_cpu_s_while_writing: { streaming: round(s.during.backend.cpuSeconds, 2), polling: round(p.during.backend.cpuSeconds, 2) },
    backend_cpu_rounds: {
      writes_per_window: r.modeCpu.writesPerWindow,
      rounds: r.modeCpu.rounds.map((x) => ({ streaming_s: round(x.streaming, 2), polling_s: round(x.polling, 2), streaming_p99_ms: round(x.streamingLatency.fromAck.p99) })),
      median_ratio: round(r.modeCpu.medianRatio, 3),
    },
    streaming_p99_ms_per_window: streamingP99s(r).map((x) => round(x)),
    api_server_cpu_ms_per_1000_deliveries: { api_server: round(median(r.fanout.steady.map(apiCpuMsPer1000)), 2), reference: round(r.floor.cpuMsPer1000, 2) },
    wire_bytes_per_event: Object.fromEntries(Object.entries(wireBytesPerEvent(r)).map(([k, v]) => [k, Math.round(v)])),
    worker_scaling: {
      watchers: r.scaling.watchers,
      variants: r.scaling.variants.map((v) => ({
        workers: v.workers,
        flush_delay: v.flushDelay ?? "2ms",
        flush_busy_factor: v.busyFactor ?? "2",
        pinned_to: v.serverCpus ?? null,
        p50_ms: round(v.p50),
        p99_ms: round(v.p99),
        burst_deliveries_per_s: Math.round(v.burstDeliveriesPerS),
        api_cpu_ms_per_1000_deliveries: round(v.apiCpuMsPer1000, 2),
      })),
      pinned_reference_p99_ms: r.scaling.pinnedReference ? round(r.scaling.pinnedReference.latency.fromAck.p99) : null,
    },
    write_throughput: { k8s_post_per_s: Math.round(r.writes.postPerS), sync_per_s: Math.round(r.writes.syncPerS) },
    targets: Object.fromEntries(verdicts(r).map((v) => [v.name, { goal: v.target, measured: round(v.measured, 2), met: v.met, miss_factor: round(v.missFactor, 2), reference: v.reference }])),
    problems: [...s.problems, ...p.problems, ...r.fanout.problems, ...r.scaling.problems].length,
  });
}

const START = "<!-- bench:system:start -->";
const END = "<!-- bench:system:end -->";

/** Replaces the text between the bench:system markers with this run's table. */
export function writeReadme(table: string): void {
  const file = join(REPO_ROOT, "README.md");
  const text = readFileSync(file, "utf8");
  const i = text.indexOf(START);
  const j = text.indexOf(END);
  if (i < 0 || j < i) throw new Error("README.md has no bench:system markers");
  const intro =
    "Generated by `npx bun run bench --write-readme` (bench/system.bench.ts; not part of the test suite): a real backend and real API server " +
    "processes, raw-socket watch clients in a separate process (Bun's native sockets; `CLIENT_SOCKETS=node` selects node:net), the API servers connected to the backend directly (bytes on that hop from the kernel's socket counters, `ss`), " +
    "everything measured from outside (/proc, the backend's /metrics, socket counters, receipt times at the clients). " +
    "Each API server started for a window at 100 watchers first gets paced writes until its watchers have them (`bench/system/api-warm-up.ts`): " +
    "a new process spends its first seconds of events compiling the event path, and the targets are about a running server. " +
    "The backend runs with its deployed allocator setting (`MIMALLOC_PURGE_DELAY=-1`, see Deploying to Kubernetes), the API servers with the default; " +
    "the client process, an instrument rather than the product, keeps freed pages too, so parsing every delivery costs it less of the shared cores. " +
    "`npx bun run bench --quick` is the under-three-minutes version; `--profile DIR` writes a CPU profile of every child; " +
    "`--storage sqlite` uses a SQLite backend. Before the last line come one JSON line per target (`figure`, `goal`, `measured`, `met`, `reference`); the last line is one JSON object with every figure. " +
    "This machine is shared, so figures move from run to run: compare ratios, not absolute values.";
  writeFileSync(file, `${text.slice(0, i + START.length)}\n${intro}\n\n\`\`\`\n${table}\n\`\`\`\n${text.slice(j)}`);
}
