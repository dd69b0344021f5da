/**
 * Write-path benchmark (not a test): how the cost of a write depends on the size of the store and
 * of the batch. For each store size (objects already stored) and storage mode it measures
 *  - create: one object per Create call (median µs per call);
 *  - Sync: one batch per kind (AddressGroups, then Services in them, then RuleS2S between them) of
 *    100, 1,000 and 10,000 items (ms per batch, µs per item);
 *  - memory (RSS, JS heap) and SQLite file size once the store is populated.
 * Each "unit" is an AddressGroup, a Service in it, a RuleS2S on that Service and what the server
 * derives from them (port mapping, generated IEAgAgRule): five stored objects.
 * Prints a table and, as the last line, one JSON object. Near-linear cost shows as flat µs/item
 * across batch sizes and store sizes; the machine is noisy, so compare ratios.
 *
 *   bun run bench:write [--quick] [--write-readme] [--stores 1000,37000] [--batches 1000,8000] [--modes memory,sqlite]
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEngine, type Engine } from "../src/backend/engine/engine.ts";
import { createMemoryPersistence } from "../src/backend/store/memory-persistence.ts";
import type { Persistence } from "../src/backend/store/persistence.ts";
import { openSqlitePersistence } from "../src/backend/store/sqlite-persistence.ts";
import { kindByName } from "../src/kinds/kind-table.ts";
import { API_VERSION, type KubeObject } from "../src/kinds/model.ts";

const argv = process.argv.slice(2);
const quick = argv.includes("--quick");
const listArg = (name: string): string[] | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] ? argv[i + 1]!.split(",") : undefined;
};
const STORES = (listArg("--stores") ?? (quick ? ["1000", "10000"] : ["1000", "10000", "100000"])).map(Number);
const BATCHES = (listArg("--batches") ?? (quick ? ["100", "1000"] : ["100", "1000", "10000"])).map(Number);
const MODES = listArg("--modes") ?? ["memory", "sqlite"];
const CREATE_UNITS = quick ? 30 : 100;
const OBJECTS_PER_UNIT = 5;
/** Units per Sync call while populating (below the default batch cap). */
const POPULATE_CHUNK = 5_000;

const AddressGroup = kindByName("AddressGroup")!;
const Service = kindByName("Service")!;
const RuleS2S = kindByName("RuleS2S")!;
const ref = (kind: string, name: string, namespace: string) => ({ apiVersion: API_VERSION, kind, name, namespace });
const nsOf = (i: number) => `ns-${i % 20}`;
const obj = (kind: string, name: string, namespace: string, spec: Record<string, unknown>): KubeObject => ({ apiVersion: API_VERSION, kind, metadata: { name, namespace }, spec });

/** The three client-written objects of unit `i`. */
function unit(i: number): { ag: KubeObject; svc: KubeObject; rule: KubeObject } {
  const ns = nsOf(i);
  return {
    ag: obj("AddressGroup", `ag-${i}`, ns, { defaultAction: "ACCEPT" }),
    svc: obj("Service", `svc-${i}`, ns, { ingressPorts: [{ protocol: "TCP", port: String(1 + (i % 60_000)) }], addressGroups: [ref("AddressGroup", `ag-${i}`, ns)] }),
    rule: obj("RuleS2S", `rule-${i}`, ns, { traffic: "INGRESS", serviceLocalRef: ref("Service", `svc-${i}`, ns), serviceRef: ref("Service", `svc-${i}`, ns) }),
  };
}

/** Syncs units [from, to) as three batches; returns the ms of each. */
async function syncUnits(engine: Engine, from: number, to: number): Promise<[number, number, number]> {
  const units = Array.from({ length: to - from }, (_, k) => unit(from + k));
  const out: number[] = [];
  for (const [kind, pick] of [[AddressGroup, "ag"], [Service, "svc"], [RuleS2S, "rule"]] as const) {
    const items = units.map((u) => u[pick]);
    const t0 = performance.now();
    await engine.sync(kind, "upsert", items);
    out.push(performance.now() - t0);
  }
  return out as [number, number, number];
}

/** Median µs per Create call, creating `n` units one object per call. */
async function createUnits(engine: Engine, from: number, n: number): Promise<number> {
  const samples: number[] = [];
  for (let i = from; i < from + n; i++) {
    const u = unit(i);
    for (const [kind, o] of [[AddressGroup, u.ag], [Service, u.svc], [RuleS2S, u.rule]] as const) {
      const t0 = performance.now();
      await engine.create(kind, o);
      samples.push((performance.now() - t0) * 1000);
    }
  }
  return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
}

function gc(): void {
  (globalThis as { Bun?: { gc(force: boolean): void } }).Bun?.gc(true);
}

function fileBytes(path: string): number {
  let total = 0;
  for (const p of [path, `${path}-wal`]) {
    try {
      total += statSync(p).size;
    } catch {
      // absent
    }
  }
  return total;
}

interface Row {
  mode: string;
  store_objects: number;
  populate_s: number;
  /** Median of the individual Create calls. */
  create_us_per_call: number;
  rss_mib: number;
  heap_mib: number;
  sqlite_mib: number | null;
  batches: Record<string, { ag_ms: number; svc_ms: number; rule_ms: number; us_per_item: number }>;
}

const dir = mkdtempSync(join(tmpdir(), "netguard-write-bench-"));
const rows: Row[] = [];
try {
  for (const mode of MODES) {
    for (const storeObjects of STORES) {
      const dbPath = join(dir, `w-${storeObjects}.db`);
      const persistence: Persistence = mode === "sqlite" ? await openSqlitePersistence(dbPath) : createMemoryPersistence();
      const engine = await createEngine({ persistence, retention: { maxEvents: 0, maxAgeMs: 0 }, ringCapacity: 4096 });
      const units = Math.round(storeObjects / OBJECTS_PER_UNIT);
      const p0 = performance.now();
      for (let i = 0; i < units; i += POPULATE_CHUNK) await syncUnits(engine, i, Math.min(units, i + POPULATE_CHUNK));
      const populateS = (performance.now() - p0) / 1000;
      gc();
      const mem = process.memoryUsage();
      const row: Row = {
        mode,
        store_objects: storeObjects,
        populate_s: Number(populateS.toFixed(2)),
        create_us_per_call: 0,
        rss_mib: Number((mem.rss / 2 ** 20).toFixed(1)),
        heap_mib: Number((mem.heapUsed / 2 ** 20).toFixed(1)),
        sqlite_mib: mode === "sqlite" ? Number((fileBytes(dbPath) / 2 ** 20).toFixed(1)) : null,
        batches: {},
      };
      let next = units;
      row.create_us_per_call = Math.round(await createUnits(engine, next, CREATE_UNITS));
      next += CREATE_UNITS;
      for (const b of BATCHES) {
        const [ag, svc, rule] = await syncUnits(engine, next, next + b);
        next += b;
        row.batches[b] = {
          ag_ms: Math.round(ag),
          svc_ms: Math.round(svc),
          rule_ms: Math.round(rule),
          us_per_item: Math.round(((ag + svc + rule) * 1000) / (3 * b)),
        };
      }
      rows.push(row);
      console.error(`done: ${mode} store ${storeObjects} (${populateS.toFixed(1)} s to populate)`);
      await engine.close();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const header = ["mode", "store objects", "create µs/call (median)", ...BATCHES.map((b) => `Sync ${b}: µs/item (AG/Svc/Rule ms)`), "RSS MiB", "heap MiB", "SQLite MiB"];
const table = [header, ...rows.map((r) => [
  r.mode,
  r.store_objects.toLocaleString("en-US"),
  String(r.create_us_per_call),
  ...BATCHES.map((b) => {
    const x = r.batches[b]!;
    return `${x.us_per_item} (${x.ag_ms}/${x.svc_ms}/${x.rule_ms})`;
  }),
  String(r.rss_mib),
  String(r.heap_mib),
  r.sqlite_mib === null ? "-" : String(r.sqlite_mib),
])];
const md = [
  `| ${table[0]!.join(" | ")} |`,
  `|${table[0]!.map(() => "---").join("|")}|`,
  ...table.slice(1).map((r) => `| ${r.join(" | ")} |`),
].join("\n");
console.log(md);

const results = {
  machine: `${process.platform}/${process.arch}`,
  runtime: `bun ${typeof Bun !== "undefined" ? Bun.version : "?"}`,
  cores: navigator.hardwareConcurrency,
  quick,
  objects_per_unit: OBJECTS_PER_UNIT,
  create_units: CREATE_UNITS,
  rows,
};
if (argv.includes("--write-readme")) {
  const readme = join(import.meta.dir, "..", "README.md");
  const text = readFileSync(readme, "utf8");
  const start = "<!-- bench:write:start -->";
  const end = "<!-- bench:write:end -->";
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error("README.md has no bench:write markers");
  const machine = `Run on ${new Date().toISOString().slice(0, 10)}, ${results.machine}, ${results.runtime}, ${results.cores} cores${quick ? " (--quick)" : ""}:`;
  writeFileSync(readme, `${text.slice(0, i + start.length)}\n${machine}\n\n${md}\n${text.slice(j)}`);
}
console.log(JSON.stringify(results));
