/**
 * Replica benchmark (not a test): write throughput and cross-replica watch latency of real
 * backend processes on SQLite (one replica) and on one PostgreSQL database (one and three
 * replicas), side by side in one run.
 *  - single-object: 16 Connect Creates in flight (spread over the replicas), new Services;
 *  - batched: Sync(Upsert) batches of 500 new Services, one batch in flight per replica;
 *  - cross-replica latency: Updates acknowledged by replica A → the event received by a Connect
 *    watcher on replica B (another process; with one replica, A itself), both times taken here.
 * Each round starts every mode afresh (a fresh PostgreSQL database, dropped after); figures are
 * medians over the rounds. Prints a table and, as the last line, one JSON object.
 *
 *   bun run bench:replicas [--quick] [--rounds N] [--write-readme]
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { installCleanupHandlers, runCleanup } from "./system/cleanup.ts";
import { median, percentiles } from "./system/latency.ts";
import { startBackendProc, type BackendProc } from "./system/stack.ts";
import { createBenchDatabase, postgresReachable } from "./replicas/pg-database.ts";
import { openRvWatch } from "./replicas/rv-watch.ts";
import { concurrentCreates, pacedUpdatesTo, replicaClient, syncBatches } from "./replicas/write-load.ts";
import { renderReplicaReport, type ModeResult } from "./replicas/report.ts";

const argv = process.argv.slice(2);
const quick = argv.includes("--quick");
const arg = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const ROUNDS = Number(arg("--rounds") ?? (quick ? 1 : 3));
const CREATE_SECONDS = quick ? 3 : 6;
const CREATE_IN_FLIGHT = 16;
const BATCH_SIZE = 500;
const BATCHES = quick ? 12 : 24;
const LAT_RATE = 50;
const LAT_COUNT = quick ? 150 : 300;
const LAT_OBJECTS = 50;

interface Mode {
  name: string;
  storage: "sqlite" | "postgres";
  replicas: number;
}

installCleanupHandlers();
const modes: Mode[] = [{ name: "sqlite ×1", storage: "sqlite", replicas: 1 }];
const pg = await postgresReachable();
if (pg) modes.push({ name: "postgres ×1", storage: "postgres", replicas: 1 }, { name: "postgres ×3", storage: "postgres", replicas: 3 });
else console.error("PostgreSQL not reachable (NETGUARD_BENCH_PG): SQLite only");

const dir = mkdtempSync(join(tmpdir(), "netguard-replica-bench-"));
const load0 = loadavg()[0]!;
const t0 = performance.now();
const samples = new Map<string, { creates: number[]; batched: number[]; p50: number[]; p99: number[]; max: number[]; errors: number; missing: number }>();

async function runMode(m: Mode, round: number): Promise<void> {
  const db = m.storage === "postgres" ? await createBenchDatabase(`r${round}_${m.replicas}`) : undefined;
  const storage = db ? db.url : `sqlite:${join(dir, `r${round}.db`)}`;
  const procs: BackendProc[] = [];
  try {
    for (let i = 0; i < m.replicas; i++) procs.push(await startBackendProc(storage));
    const clients = procs.map((p) => replicaClient(p.port));
    const s = samples.get(m.name) ?? { creates: [], batched: [], p50: [], p99: [], max: [], errors: 0, missing: 0 };
    samples.set(m.name, s);
    const c = await concurrentCreates(clients, { namespace: "creates", inFlight: CREATE_IN_FLIGHT, seconds: CREATE_SECONDS });
    const b = await syncBatches(clients, { namespace: "batches", size: BATCH_SIZE, batches: BATCHES });
    // Latency: write to the first replica, watch on the last.
    await syncBatches(clients.slice(0, 1), { namespace: "latency", size: LAT_OBJECTS, batches: 1 });
    const watch = await openRvWatch(procs[procs.length - 1]!.port);
    const acks = await pacedUpdatesTo(clients[0]!, { namespace: "latency", objects: LAT_OBJECTS, rate: LAT_RATE, count: LAT_COUNT });
    s.errors += LAT_COUNT - acks.length;
    await Bun.sleep(500);
    watch.stop();
    const lat: number[] = [];
    for (const a of acks) {
      const at = watch.seen.get(a.rv);
      if (at === undefined) s.missing++;
      else lat.push(at - a.ackAt);
    }
    const p = percentiles(lat);
    s.creates.push(c.perSecond);
    s.batched.push(b.perSecond);
    s.p50.push(p.p50);
    s.p99.push(p.p99);
    s.max.push(p.max);
    s.errors += c.errors + b.errors;
    if (c.errors + b.errors) console.error(`${m.name}: ${c.errors + b.errors} errors, last: ${c.lastError || b.lastError}`);
    console.error(
      `round ${round + 1} ${m.name}: ${c.perSecond.toFixed(0)} creates/s, ${b.perSecond.toFixed(0)} objects/s batched, latency p50 ${p.p50.toFixed(2)} / p99 ${p.p99.toFixed(2)} ms`,
    );
  } finally {
    for (const p of procs) await p.child.stop();
    await db?.drop();
  }
}

try {
  for (let r = 0; r < ROUNDS; r++) for (const m of modes) await runMode(m, r);
} finally {
  await runCleanup();
  rmSync(dir, { recursive: true, force: true });
}

const results: ModeResult[] = modes.map((m) => {
  const s = samples.get(m.name)!;
  return {
    mode: m.name,
    storage: m.storage,
    replicas: m.replicas,
    creates_per_s: Math.round(median(s.creates)),
    batched_objects_per_s: Math.round(median(s.batched)),
    latency_p50_ms: Number(median(s.p50).toFixed(2)),
    latency_p99_ms: Number(median(s.p99).toFixed(2)),
    latency_max_ms: Number(median(s.max).toFixed(2)),
    errors: s.errors,
    missing_events: s.missing,
    rounds: { creates_per_s: s.creates.map(Math.round), batched_objects_per_s: s.batched.map(Math.round), latency_p99_ms: s.p99.map((x) => Number(x.toFixed(2))) },
  };
});
const header =
  `netguard replica benchmark: ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores, bun ${Bun.version}, ` +
  `${ROUNDS} round(s), medians; wall time ${((performance.now() - t0) / 1000).toFixed(0)} s; 1-min load ${load0.toFixed(2)} → ${loadavg()[0]!.toFixed(2)}\n` +
  `single-object: ${CREATE_IN_FLIGHT} Creates in flight for ${CREATE_SECONDS} s; batched: ${BATCHES} Sync batches of ${BATCH_SIZE}, one in flight per replica; ` +
  `latency: ${LAT_COUNT} Updates at ${LAT_RATE}/s acknowledged by replica A → received by a Connect watcher on replica B`;
const table = renderReplicaReport(header, results);
console.log(table);
if (argv.includes("--write-readme")) {
  const readme = join(import.meta.dir, "..", "README.md");
  const text = readFileSync(readme, "utf8");
  const start = "<!-- bench:postgres:start -->";
  const end = "<!-- bench:postgres:end -->";
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error("README.md has no bench:postgres markers");
  writeFileSync(readme, `${text.slice(0, i + start.length)}\n\`\`\`\n${table}\n\`\`\`\n${text.slice(j)}`);
}
console.log(JSON.stringify({ quick, rounds: ROUNDS, cores: cpus().length, runtime: `bun ${Bun.version}`, postgres: pg, results }));
