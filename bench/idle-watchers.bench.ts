/**
 * RSS and JS heap per idle watcher (issue 15's "RSS per idle watcher ≤ 4 KiB"), side by side:
 *  - `apiserver`: the real API server (`src/main.ts apiserver`, plain HTTP) with watches of one kind
 *    from the current resourceVersion, against a real backend;
 *  - `queued` / `direct` / `raw`: a bare server answering every request with an idle stream built
 *    the queued-ReadableStream way, Bun's direct-stream way, or on a raw socket
 *    (bench/idle-watchers/stream-server-process.ts) — what the runtime itself costs per connection.
 * Each server is sampled after a full GC (bench/idle-watchers/mem-probe.ts, preloaded) with a few
 * watchers, then with each level of `--watchers` (default 2000,5000); figures are KiB per watcher
 * over the base. Prints progress on stderr and one JSON line on stdout. (The system benchmark's
 * "idle memory" line, bench/system/scenarios/fan-out.ts, samples the API server's RSS without a
 * forced GC, two seconds after the last watcher connected; samples up to 20 s later were lower
 * by at most 0.2 KiB per watcher, and by a few hundredths once watchers kept less of their own.)
 * MEM_PROBE_SNAPSHOT=DIR also writes heap snapshots.
 *
 *   bun bench/idle-watchers.bench.ts [--watchers 2000,5000] [--before DIR] [--parallel 500]
 *     [--variants apiserver-before,apiserver,queued,direct,raw]
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { benchService, createBackendWriter } from "./system/backend-writer.ts";
import { installCleanupHandlers, runBenchmark } from "./system/cleanup.ts";
import { freePort, launch, type Child } from "./system/launcher.ts";
import { startBackendProc } from "./system/stack.ts";
import { WatchPool, watchPath } from "./system/watch-pool.ts";

const PROBE = "./bench/idle-watchers/mem-probe.ts";
const BASE_WATCHERS = 10;
const NAMESPACE = "idle";

interface MemLine {
  rssKiB: number;
  heapKiB: number;
  capacityKiB: number;
  extraKiB: number;
  objects: number;
  types: Record<string, number>;
}

function flagValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const levels = (flagValue("--watchers") ?? "2000,5000").split(",").map(Number).filter((n) => n > BASE_WATCHERS);
/** Another checkout (e.g. the previous commit) whose API server runs as variant `apiserver-before`. */
const before = flagValue("--before");
const variants = (flagValue("--variants") ?? (before ? "apiserver-before,apiserver,queued,direct,raw" : "apiserver,queued,direct,raw")).split(",");
const parallel = Number(flagValue("--parallel") ?? 500);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (s: string) => console.error(s);

/** Asks the child's probe for a GC'd sample (SIGUSR2) and reads the line it appends. */
async function probe(child: Child, file: string): Promise<MemLine> {
  const before = readLines(file).length;
  process.kill(child.pid, "SIGUSR2");
  for (let i = 0; i < 100; i++) {
    await sleep(50);
    const lines = readLines(file);
    if (lines.length > before) return JSON.parse(lines.at(-1)!) as MemLine;
  }
  throw new Error(`${child.name}: no memory sample`);
}

function readLines(file: string): string[] {
  try {
    return readFileSync(file, "utf8").split("\n").filter(Boolean);
  } catch {
    return [];
  }
}

/** The object types whose count grew most from `a` to `b`, per watcher. */
function grownTypes(a: MemLine, b: MemLine, added: number): Record<string, number> {
  const out: [string, number][] = [];
  for (const [t, n] of Object.entries(b.types)) {
    const d = (n - (a.types[t] ?? 0)) / added;
    if (d >= 0.3) out.push([t, Number(d.toFixed(2))]);
  }
  return Object.fromEntries(out.sort((x, y) => y[1] - x[1]));
}

async function startVariant(variant: string, backendPort: number, probeFile: string): Promise<{ child: Child; port: number }> {
  const port = await freePort();
  const env = { MEM_PROBE_FILE: probeFile };
  if (variant === "apiserver" || variant === "apiserver-before") {
    const root = variant === "apiserver" ? "." : before;
    if (!root) throw new Error("apiserver-before needs --before DIR (another checkout)");
    const child = await launch({
      name: variant,
      args: ["--preload", PROBE, join(root, "src", "main.ts"), "apiserver"],
      env: { ...env, NETGUARD_API_ADDR: `127.0.0.1:${port}`, NETGUARD_API_INSECURE: "true", BACKEND_ENDPOINT: `127.0.0.1:${backendPort}`, WATCH_MODE: "streaming" },
      ready: /API server listening on/,
    });
    return { child, port };
  }
  const child = await launch({ name: `${variant} stream server`, args: ["--preload", PROBE, "bench/idle-watchers/stream-server-process.ts", String(port), variant], env, ready: /ready/ });
  return { child, port };
}

await runBenchmark(async () => {
  installCleanupHandlers();
  const dir = mkdtempSync(join(tmpdir(), "idle-watchers-"));
  const backend = await startBackendProc("memory:");
  const writer = createBackendWriter(backend.port);
  await writer.syncUpsert(Array.from({ length: 10 }, (_, i) => benchService(NAMESPACE, i, "idle")));
  const pool = await WatchPool.start();
  const result: Record<string, unknown> = {};
  try {
    for (const variant of variants) {
      const file = join(dir, `${variant}.jsonl`);
      const { child, port } = await startVariant(variant, backend.port, file);
      try {
        const path = watchPath(NAMESPACE, await writer.currentRv());
        await pool.open(port, path, BASE_WATCHERS);
        await sleep(1500);
        const base = await probe(child, file);
        const rows: Record<string, unknown>[] = [];
        let open = BASE_WATCHERS;
        for (const level of levels) {
          const o = await pool.open(port, path, level - open, parallel);
          open += o.opened;
          await sleep(2000);
          const m = await probe(child, file);
          const added = open - BASE_WATCHERS;
          const row = {
            watchers: open,
            failed: o.failed,
            rssKiBPerWatcher: Number(((m.rssKiB - base.rssKiB) / added).toFixed(2)),
            heapKiBPerWatcher: Number(((m.heapKiB - base.heapKiB) / added).toFixed(2)),
            heapCapacityKiBPerWatcher: Number(((m.capacityKiB - base.capacityKiB) / added).toFixed(2)),
            extraKiBPerWatcher: Number(((m.extraKiB - base.extraKiB) / added).toFixed(2)),
            objectsPerWatcher: Number(((m.objects - base.objects) / added).toFixed(1)),
            grownTypes: grownTypes(base, m, added),
          };
          rows.push(row);
          log(`${variant}: ${open} watchers → ${row.rssKiBPerWatcher} KiB RSS, ${row.heapKiBPerWatcher} KiB heap (capacity ${row.heapCapacityKiBPerWatcher}, extra ${row.extraKiBPerWatcher}), ${row.objectsPerWatcher} objects per watcher${o.failed ? ` (${o.failed} failed)` : ""}`);
        }
        result[variant] = { baseRssKiB: Math.round(base.rssKiB), levels: rows };
      } finally {
        await pool.closeAll();
        await child.stop();
      }
    }
  } finally {
    await pool.stop();
    await backend.child.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(JSON.stringify({ bench: "idle-watchers", baseWatchers: BASE_WATCHERS, variants: result }));
});
