/**
 * Micro-benchmark of the backend's hot paths (not a test):
 *  - publish cost per event with 1, 100 and 10,000 subscribers waiting on the ring;
 *  - delivery cost: every subscriber reading every event through its cursor;
 *  - write-path throughput through the engine (validation + commit + publish), memory and SQLite.
 * Prints a table and, as the last line, one JSON object. Medians of several rounds; these machines
 * are noisy, so compare the ratios rather than the absolute numbers.
 *
 *   bun run bench:store [--quick] [--write-readme]
 *
 * --write-readme replaces the block between the bench:store markers in README.md with this run's
 * table, so the figures quoted there are always the script's own output.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEventStore } from "../src/backend/event-store/event-store.ts";
import { createEngine } from "../src/backend/engine/engine.ts";
import { createMemoryPersistence } from "../src/backend/store/memory-persistence.ts";
import type { Persistence, StoredEvent } from "../src/backend/store/persistence.ts";
import { openSqlitePersistence } from "../src/backend/store/sqlite-persistence.ts";
import { kindByName } from "../src/kinds/kind-table.ts";
import { API_VERSION } from "../src/kinds/model.ts";

const quick = process.argv.includes("--quick");
const ROUNDS = quick ? 3 : 7;
const EVENTS = quick ? 2_000 : 10_000;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const now = () => performance.now();

function event(rv: number): StoredEvent {
  return {
    rv,
    kind: "Service",
    type: "MODIFIED",
    namespace: "shop",
    name: `svc-${rv % 100}`,
    object: { apiVersion: API_VERSION, kind: "Service", metadata: { name: `svc-${rv % 100}`, namespace: "shop", resourceVersion: String(rv) }, spec: {} },
    prevLabels: {},
    time: Date.now(),
  };
}

/** ns per publish with `subs` subscribers parked on the ring's shared promise. */
async function publishCost(subs: number): Promise<{ publishNs: number; deliverNs: number }> {
  const persistence = createMemoryPersistence();
  await persistence.load();
  const publishSamples: number[] = [];
  const deliverSamples: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const store = createEventStore({ kinds: ["Service"], ringCapacity: EVENTS + 1, startRv: 0, persistence, floorRv: () => 0 });
    const cursors = Array.from({ length: subs }, () => store.cursor("Service", 0));
    // park every subscriber the way a watch handler does while idle
    let woken = 0;
    for (let i = 0; i < subs; i++) void store.changed("Service").then(() => woken++);
    const events = Array.from({ length: EVENTS }, (_, i) => event(i + 1));
    const t0 = now();
    for (const ev of events) store.publish([ev]);
    const t1 = now();
    publishSamples.push(((t1 - t0) * 1e6) / EVENTS);
    await Promise.resolve();
    // delivery: each subscriber drains its cursor (what a watch handler does when it wakes up)
    const t2 = now();
    let delivered = 0;
    for (const c of cursors) {
      for (;;) {
        const r = await store.read(c);
        if (r.kind !== "events" || r.events.length === 0) break;
        delivered += r.events.length;
      }
    }
    const t3 = now();
    if (delivered !== subs * EVENTS) throw new Error(`delivered ${delivered}, want ${subs * EVENTS}`);
    deliverSamples.push(((t3 - t2) * 1e6) / delivered);
    if (woken !== subs) throw new Error(`woken ${woken} of ${subs}`);
  }
  return { publishNs: median(publishSamples), deliverNs: median(deliverSamples) };
}

async function writeThroughput(persistence: Persistence, n: number): Promise<number> {
  const engine = await createEngine({ persistence, retention: { maxEvents: 0, maxAgeMs: 0 }, ringCapacity: 4096 });
  const kind = kindByName("AddressGroup")!;
  const t0 = now();
  for (let i = 0; i < n; i++) {
    await engine.create(kind, { apiVersion: API_VERSION, kind: "AddressGroup", metadata: { name: `ag-${i}`, namespace: "bench" }, spec: { defaultAction: "ACCEPT" } });
  }
  const t1 = now();
  await engine.close();
  return n / ((t1 - t0) / 1000);
}

async function syncThroughput(persistence: Persistence, n: number): Promise<number> {
  const engine = await createEngine({ persistence, retention: { maxEvents: 0, maxAgeMs: 0 }, ringCapacity: 4096 });
  const kind = kindByName("AddressGroup")!;
  const batch = Array.from({ length: n }, (_, i) => ({ apiVersion: API_VERSION, kind: "AddressGroup", metadata: { name: `ag-${i}`, namespace: "bench" }, spec: { defaultAction: "DROP" } }));
  const t0 = now();
  await engine.sync(kind, "upsert", batch);
  const t1 = now();
  await engine.close();
  return n / ((t1 - t0) / 1000);
}

const results: Record<string, unknown> = { machine: `${process.platform}/${process.arch}`, runtime: `bun ${typeof Bun !== "undefined" ? Bun.version : "?"}`, events_per_round: EVENTS, rounds: ROUNDS };
const rows: string[][] = [["subscribers", "publish ns/event (median)", "delivery ns/event/subscriber (median)"]];
const publish: Record<string, number> = {};
const deliver: Record<string, number> = {};
await publishCost(100); // warm-up: let the JIT settle before the measured runs
for (const subs of [1, 100, 10_000]) {
  const r = await publishCost(subs);
  publish[subs] = Math.round(r.publishNs);
  deliver[subs] = Math.round(r.deliverNs);
  rows.push([String(subs), r.publishNs.toFixed(0), r.deliverNs.toFixed(0)]);
}
results.publish_ns_per_event = publish;
results.deliver_ns_per_event_per_subscriber = deliver;
results.publish_ratio_10000_vs_1 = Number((publish[10_000]! / Math.max(1, publish[1]!)).toFixed(2));

const dir = mkdtempSync(join(tmpdir(), "netguard-bench-"));
const N = quick ? 1_000 : 5_000;
const writes = {
  create_per_s_memory: Math.round(await writeThroughput(createMemoryPersistence(), N)),
  create_per_s_sqlite: Math.round(await writeThroughput(await openSqlitePersistence(join(dir, "w.db")), N)),
  sync_batch_per_s_memory: Math.round(await syncThroughput(createMemoryPersistence(), N)),
  sync_batch_per_s_sqlite: Math.round(await syncThroughput(await openSqlitePersistence(join(dir, "s.db")), N)),
};
rmSync(dir, { recursive: true, force: true });
results.write_path = writes;

const lines: string[] = [];
lines.push(`Event store publish/delivery cost (${EVENTS} events per round, median of ${ROUNDS} rounds)`);
for (const r of rows) lines.push(r.map((c, i) => c.padEnd(i === 0 ? 12 : 40)).join("").trimEnd());
lines.push("", `Write path (${N} objects; one create per call, or one Sync batch):`);
for (const [k, v] of Object.entries(writes)) lines.push(`  ${k.padEnd(28)} ${v}`);
const table = lines.join("\n");
console.log(table);
if (process.argv.includes("--write-readme")) {
  const readme = join(import.meta.dir, "..", "README.md");
  const text = readFileSync(readme, "utf8");
  const start = "<!-- bench:store:start -->";
  const end = "<!-- bench:store:end -->";
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error("README.md has no bench:store markers");
  const machine = `Run on ${new Date().toISOString().slice(0, 10)}, ${results.machine}, ${results.runtime}, ${navigator.hardwareConcurrency} cores${quick ? " (--quick)" : ""}:`;
  writeFileSync(readme, `${text.slice(0, i + start.length)}\n${machine}\n\n\`\`\`\n${table}\n\`\`\`\n${text.slice(j)}`);
}
console.log(JSON.stringify(results));
