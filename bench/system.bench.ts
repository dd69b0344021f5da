/**
 * System benchmark: streaming vs polling watch, fan-out, write throughput — with real processes.
 *
 *   bun run bench [--quick] [--write-readme] [--storage memory:|sqlite|postgres] [--profile DIR] [--backend-tls]
 *
 * `--storage postgres` runs the replica benchmark instead (bench/replicas.bench.ts: write
 * throughput and cross-replica latency on PostgreSQL with 1 and 3 backend replicas, SQLite side by
 * side), the figures that matter for that store.
 *
 * Starts one backend (`src/main.ts backend`), then API servers (`src/main.ts apiserver`) one after
 * another — streaming, polling (default 5 s interval), and streaming again for fan-out and writes —
 * each connected to the backend directly (bytes on that hop read from the kernel's socket counters). Watch clients are
 * raw HTTP/1.1 sockets in a separate process. Everything is measured from the outside (/proc, the
 * backend's /metrics, `ss` socket counters, client-side receipt times). Fan-out is also measured with 1, 2, …
 * API-server workers, unpinned and pinned apart from the clients (scenarios/worker-scaling.ts).
 * Prints a table, one JSON line per target (targets.ts) and, as the LAST line, one JSON object.
 * Not part of the test suite.
 *
 * Every child runs in its own process group and is killed at the end, on errors and on SIGINT.
 * --profile DIR makes every child write a Bun CPU profile (markdown) into DIR when it stops.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { benchService, createBackendWriter, pacedUpdates } from "./system/backend-writer.ts";
import { installCleanupHandlers, onCleanup, runBenchmark, runCleanup } from "./system/cleanup.ts";
import { profileChildrenInto } from "./system/launcher.ts";
import { createHostCpuMeter } from "./system/host-cpu.ts";
import { profileFor } from "./system/profile.ts";
import { machineInfo, renderJson, renderTable, writeReadme, type Results } from "./system/report.ts";
import { runFanOut } from "./system/scenarios/fan-out.ts";
import { runFanOutFloor } from "./system/scenarios/fan-out-floor.ts";
import { runMode } from "./system/scenarios/mode-comparison.ts";
import { runModeCpuRounds } from "./system/scenarios/mode-cpu-rounds.ts";
import { runWriteThroughput } from "./system/scenarios/write-throughput.ts";
import { runWorkerScaling } from "./system/scenarios/worker-scaling.ts";
import { renderTargetLines } from "./system/targets.ts";
import { startBackendProc } from "./system/stack.ts";
import { createBenchBackendAccess } from "./system/backend-access.ts";
import { WatchPool } from "./system/watch-pool.ts";
import { postgresReachable } from "./replicas/pg-database.ts";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const backendTls = args.includes("--backend-tls");
const flagValue = (name: string) => args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1) ?? (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const storageArg = flagValue("--storage");
const profileDir = flagValue("--profile");
/** Hard stop: whatever happens, the run ends (and cleans up) by then. */
const DEADLINE_MS = quick ? 300_000 : 1_200_000;

const log = (s: string) => console.error(s);

/** `--storage postgres`: the replica benchmark, with --quick/--write-readme passed on. */
function runReplicaBenchmark(): never {
  const passOn = args.filter((a) => a === "--quick" || a === "--write-readme");
  const r = spawnSync(process.execPath, ["run", join(import.meta.dir, "replicas.bench.ts"), ...passOn], { stdio: "inherit" });
  process.exit(r.status ?? 1);
}

async function main(): Promise<void> {
  if (storageArg === "postgres") runReplicaBenchmark();
  installCleanupHandlers();
  const hostMeter = createHostCpuMeter();
  const started = performance.now();
  const deadline = setTimeout(() => {
    console.error(`benchmark exceeded ${DEADLINE_MS / 1000} s; stopping`);
    void runCleanup().finally(() => process.exit(3));
  }, DEADLINE_MS);
  deadline.unref();

  let storage = "memory:";
  if (storageArg === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "netguard-sysbench-"));
    onCleanup(() => rmSync(dir, { recursive: true, force: true }));
    storage = `sqlite:${join(dir, "bench.db")}`;
  } else if (storageArg && storageArg !== "memory:" && storageArg !== "memory") {
    throw new Error(`--storage must be memory: or sqlite, not ${storageArg}`);
  }
  if (profileDir) {
    mkdirSync(profileDir, { recursive: true });
    profileChildrenInto(profileDir);
  }
  const p = profileFor(quick, storage);
  const machine = machineInfo(quick, storageArg === "sqlite" ? "sqlite (temp file)" : "memory:");
  log(`system benchmark${quick ? " (--quick)" : ""}: ${machine.cores} cores, ${machine.cpu}, ${machine.runtime}`);

  // --backend-tls: the backend with TLS, a client CA and a token file; the API servers present a client certificate.
  const pkiDir = backendTls ? mkdtempSync(join(tmpdir(), "netguard-bench-pki-")) : undefined;
  if (pkiDir) onCleanup(() => rmSync(pkiDir, { recursive: true, force: true }));
  const access = pkiDir ? createBenchBackendAccess(pkiDir) : undefined;
  const backend = await startBackendProc(storage, access);
  const writer = createBackendWriter(backend.port, access);
  const t0 = performance.now();
  await writer.syncUpsert(Array.from({ length: p.objects }, (_, i) => benchService(p.namespace, i, "preloaded")));
  const preload = { objects: p.objects, ms: performance.now() - t0 };
  log(`backend up on :${backend.port}; preloaded ${p.objects} Services in ${preload.ms.toFixed(0)} ms`);
  // Warm-up: the streaming mode runs first and would otherwise pay the backend's JIT warm-up of the
  // write path alone, skewing the streaming ÷ polling backend CPU figure.
  const warm = Math.round((p.loadRate * p.warmupMs) / 1000);
  await pacedUpdates(writer, { namespace: p.namespace, objects: p.objects, rate: p.loadRate, count: warm, tag: "warm-up" });
  log(`warm-up: ${warm} Updates at ${p.loadRate}/s`);
  const pool = await WatchPool.start();

  log("streaming mode:");
  const streaming = await runMode("streaming", p, backend, writer, pool, log);
  log("polling mode:");
  const polling = await runMode("polling", p, backend, writer, pool, log);
  log(`backend CPU, streaming vs polling (${p.cpuRounds} alternating rounds of ${p.cpuRoundMs / 1000} s):`);
  const modeCpu = await runModeCpuRounds(p, backend, writer, pool, log);
  log(`raw-socket reference at ${p.modeWatchers} watchers, alone and while the backend takes the same writes:`);
  const modeFloor = {
    alone: await runFanOutFloor(p, pool, log, { watchers: p.modeWatchers }),
    loaded: await runFanOutFloor(p, pool, log, { watchers: p.modeWatchers, load: writer }),
  };
  log("fan-out (streaming):");
  const fanout = await runFanOut(p, backend, writer, pool, log);
  log("fan-out floor (reference raw-socket server, same clients):");
  const floor = await runFanOutFloor(p, pool, log);
  log("fan-out floor under the backend's write load (the same paced Updates to the backend meanwhile):");
  const floorLoaded = await runFanOutFloor(p, pool, log, { load: writer });
  log("worker scaling (api.workers 1, 2, …; unpinned and pinned apart from the clients):");
  const scaling = await runWorkerScaling(p, backend, writer, pool, log);
  log("write throughput:");
  const writes = await runWriteThroughput(p, backend, writer);
  if (backend.child.exit) throw new Error(`the backend exited during the run (${backend.child.exit}):\n${backend.child.tail()}`);

  await pool.stop();
  await backend.child.stop();
  const results: Results = {
    machine,
    profile: p,
    preload,
    modes: { streaming, polling },
    modeCpu,
    modeFloor,
    fanout,
    floor,
    floorLoaded,
    scaling,
    writes,
    wallSeconds: (performance.now() - started) / 1000,
    host: hostMeter?.read(),
  };
  const table = renderTable(results);
  console.log(table);
  if (args.includes("--write-readme")) writeReadme(table);
  console.log(renderTargetLines(results));
  const postgres = (await postgresReachable()) ? postgresLine() : undefined;
  console.log(postgres ? JSON.stringify({ ...JSON.parse(renderJson(results)), postgres }) : renderJson(results));
}

/**
 * When PostgreSQL is reachable, the default run adds one line from a quick replica benchmark
 * (PostgreSQL ×1 and ×3 beside SQLite); `--storage postgres` runs the full one.
 */
function postgresLine(): unknown {
  const r = spawnSync(process.execPath, ["run", join(import.meta.dir, "replicas.bench.ts"), "--quick"], { encoding: "utf8", timeout: 300_000 });
  const last = (r.stdout ?? "").trim().split("\n").at(-1) ?? "";
  let summary: { results?: { mode: string; creates_per_s: number; batched_objects_per_s: number; latency_p99_ms: number }[] } | undefined;
  try {
    summary = JSON.parse(last);
  } catch {
    console.log(`PostgreSQL (bench:replicas --quick): no result (exit ${r.status ?? r.signal})`);
    return undefined;
  }
  const modes = (summary?.results ?? []).map((m) => `${m.mode}: ${m.creates_per_s} creates/s, ${m.batched_objects_per_s} objects/s batched, cross-replica p99 ${m.latency_p99_ms} ms`);
  console.log(`PostgreSQL (bench:replicas --quick): ${modes.join("; ")}`);
  return summary?.results;
}

await runBenchmark(main);
