/**
 * Backend replicas as real processes on one PostgreSQL database (the local server), with API-server
 * processes in front of them:
 *
 * 1. two replicas, two API servers (one per replica); writers spread over the replicas (Connect
 *    Create/Update/Delete/Sync), resuming RPC watchers on every replica and resuming HTTP watchers on
 *    both API servers, plus one HTTP watcher that a proxy moves from one API server to the other
 *    mid-stream again and again (it resumes from its last resourceVersion on the other server);
 * 2. three replicas: one is killed (kill -9) mid-stream and restarted, then the PostgreSQL server
 *    itself is stopped and started: writes fail with `unavailable` meanwhile, `/readyz` answers 503
 *    naming the store, each backend logs the outage once, and watchers resume when it returns.
 *
 * At the end every watcher saw every event of its kind exactly once and in log order (the log read
 * through a Watch from resourceVersion 1), never relisted, its view equals a list, every acknowledged
 * write is in the log at its version and the log is gap-free. Seeded (NETGUARD_FAULT_SEED).
 */
import { afterAll, expect, test } from "bun:test";
import { Code, ConnectError } from "@connectrpc/connect";
import { kindByName } from "../../src/kinds/kind-table.ts";
import { clientFor } from "../helpers/backend-harness.ts";
import { createAckedWriter, WRITER_NAMESPACE, type AckedWriter } from "../faults/acked-writers.ts";
import { createVia, type NgClient } from "../faults/backend-calls.ts";
import { startChaosProxy, type ChaosProxy } from "../faults/chaos-proxy.ts";
import { ackViolations, logViolations, readEventLog } from "../faults/event-log.ts";
import { apiServerProcess, type RestartableProcess } from "../faults/fault-processes.ts";
import { runHttpWatcher } from "../faults/resuming-http-watcher.ts";
import { runRpcWatcher } from "../faults/resuming-rpc-watcher.ts";
import { faultSeed, seededRandom, type SeededRandom } from "../faults/seeded-random.ts";
import type { WatchTracker } from "../faults/watch-tracker.ts";
import { closeTestDatabases, createTestDatabase, type TestDatabase } from "../store/postgres-test-db.ts";
import { converge, ensurePostgresUp, postgresBackend, startPostgres, stopPostgres, watcherProblems } from "./replica-process-kit.ts";

const WATCHED = ["AddressGroup", "Service", "AddressGroupBinding"].map((k) => kindByName(k)!);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

afterAll(async () => {
  await ensurePostgresUp();
  await closeTestDatabases();
});

interface Cluster {
  db: TestDatabase;
  backends: RestartableProcess[];
  apis: RestartableProcess[];
  clients: NgClient[];
  trackers: WatchTracker[];
  writers: AckedWriter[];
  stopWriters: AbortController;
  stopWatchers: AbortController;
  pending: Promise<unknown>[];
  rng: SeededRandom;
  /** resourceVersion when the watchers had started, before the writers. */
  startRv: number;
}

/** Starts `n` replicas and two API servers (on replicas 0 and 1), watchers everywhere, then writers. */
async function startCluster(n: number, seed: number, c: Partial<Cluster>, switching?: ChaosProxy): Promise<Cluster> {
  const rng = seededRandom(seed);
  const db = (c.db = await createTestDatabase());
  const backends: RestartableProcess[] = (c.backends = []);
  for (let i = 0; i < n; i++) backends.push(await postgresBackend(db.url));
  await Promise.all(backends.map((b) => b.start()));
  const apis: RestartableProcess[] = (c.apis = []);
  for (let i = 0; i < 2; i++) apis.push(await apiServerProcess(`127.0.0.1:${backends[i]!.port}`));
  await Promise.all(apis.map((a) => a.start()));
  const clients = backends.map((b) => clientFor(b.url, "connect"));
  const seedObj = { apiVersion: "netguard.sgroups.io/v1beta1", kind: "AddressGroup", metadata: { name: "seed", namespace: WRITER_NAMESPACE }, spec: { defaultAction: "ACCEPT" } };
  expect((await createVia(clients[0]!, seedObj, 10_000)).metadata.resourceVersion).toBe("1");

  const stopWatchers = (c.stopWatchers = new AbortController());
  const pending: Promise<unknown>[] = (c.pending = []);
  const watchers = [
    ...backends.flatMap((b, i) => WATCHED.map((k) => runRpcWatcher(clients[i]!, k, `RPC ${k.kind} on replica ${i}`, stopWatchers.signal))),
    ...apis.flatMap((a, i) => WATCHED.map((k) => runHttpWatcher(() => a.url, k, `HTTP ${k.plural} on API server ${i}`, stopWatchers.signal))),
  ];
  if (switching) switching.targetPort = apis[0]!.port;
  if (switching) watchers.push(runHttpWatcher(() => `http://127.0.0.1:${switching.port}`, WATCHED[0]!, "HTTP addressgroups moving between API servers", stopWatchers.signal));
  pending.push(...watchers.map((w) => w.done));
  const trackers = watchers.map((w) => w.tracker);
  const deadline = Date.now() + 20_000;
  while (trackers.some((t) => t.segments.length === 0 || t.rv < 1)) {
    if (Date.now() > deadline) throw new Error("watchers did not start");
    await sleep(50);
  }
  const startRv = Number((await clients[0]!.syncStatus({}, { timeoutMs: 10_000 })).resourceVersion);
  const stopWriters = new AbortController();
  const writers = [0, 1, 2, 3].map((i) =>
    createAckedWriter(i, { client: clients[i % n]!, rng: rng.fork(), callTimeoutMs: 15_000, recoverTimeoutMs: 30_000, pauseMs: 10 }),
  );
  pending.push(...writers.map((w) => w.run(stopWriters.signal)));
  return Object.assign(c, { db, backends, apis, clients, trackers, writers, stopWriters, stopWatchers, pending, rng, startRv });
}

/** Stops the writers, reads the log from rv 1 through replica 0, waits for the watchers, checks everything. */
async function finish(c: Cluster, name: string): Promise<void> {
  c.stopWriters.abort();
  await Promise.all(c.pending.slice(c.trackers.length));
  const log = await readEventLog(c.clients[0]!, 1);
  await converge(c.trackers, log.events, 30_000);
  const problems = [
    ...logViolations(log.events, 1, log.currentRv),
    ...ackViolations(c.writers.flatMap((w) => w.acks), log.events),
    ...c.writers.flatMap((w) => w.violations),
    ...(await watcherProblems(c.trackers, log.events, c.clients.at(-1)!, WATCHED, c.startRv)),
  ];
  const sum = (f: (t: WatchTracker) => number) => c.trackers.reduce((n, t) => n + f(t), 0);
  const ws = (f: (w: AckedWriter) => number) => c.writers.reduce((n, w) => n + f(w), 0);
  console.log(
    `${name}: ${c.backends.length} backend replicas, ${c.apis.length} API servers; log rv 1..${log.currentRv}; ` +
      `${ws((w) => w.stats.acked)} writes acknowledged, ${ws((w) => w.stats.uncertain)} failed without an answer (${ws((w) => w.stats.foundAbsent)} found absent, ${ws((w) => w.stats.foundApplied)} applied); ` +
      `${c.trackers.length} watchers received ${sum((t) => t.events)} events, ${sum((t) => t.resumes)} resumes, ${sum((t) => t.relists)} relists; ${problems.length} problems`,
  );
  expect(problems).toEqual([]);
  for (const t of c.trackers) expect(t.events).toBeGreaterThan(0);
}

async function teardown(c: Partial<Cluster>, failed: boolean): Promise<void> {
  c.stopWriters?.abort();
  c.stopWatchers?.abort();
  if (failed) for (const p of [...(c.backends ?? []), ...(c.apis ?? [])]) console.error(`${p.name} :${p.port} output:\n${p.tail()}`);
  await Promise.all((c.apis ?? []).map((a) => a.stop()));
  await Promise.all((c.backends ?? []).map((b) => b.stop()));
  await Promise.allSettled(c.pending ?? []);
  await ensurePostgresUp();
  await c.db?.drop().catch(() => undefined);
}

test("two replica processes and two API servers: every watcher sees every event once, in order; an HTTP watcher moved between API servers resumes without gap", async () => {
  const seed = faultSeed();
  const c: Partial<Cluster> = {};
  let proxy: ChaosProxy | undefined;
  let failed = true;
  try {
    proxy = await startChaosProxy(1); // startCluster points it at API server 0
    const cl = await startCluster(2, seed, c, proxy);
    let moves = 0;
    for (let i = 0; i < 8; i++) {
      await sleep(cl.rng.int(300, 700));
      proxy.targetPort = cl.apis[(i + 1) % 2]!.port;
      proxy.cut(); // mid-stream: the next connection goes to the other API server
      moves++;
    }
    await sleep(500);
    await finish(cl, `replica processes (seed ${seed}, ${moves} API-server moves)`);
    const moving = cl.trackers.at(-1)!;
    expect(moving.resumes).toBeGreaterThanOrEqual(moves - 1);
    failed = false;
  } finally {
    await teardown(c, failed);
    await proxy?.close();
  }
}, 55_000);

/** A write through each replica while PostgreSQL is down: the Connect code each one got. */
async function probeWrites(c: Cluster): Promise<string[]> {
  return Promise.all(
    c.clients.map(async (client, i) => {
      const obj = { apiVersion: "netguard.sgroups.io/v1beta1", kind: "AddressGroup", metadata: { name: `outage-probe-${i}`, namespace: WRITER_NAMESPACE }, spec: { defaultAction: "ACCEPT" } };
      try {
        await createVia(client, obj, 20_000);
        return "ok";
      } catch (e) {
        return Code[ConnectError.from(e).code]!;
      }
    }),
  );
}

/** Polls `/readyz` of every replica until each answers `status` (bounded); returns the bodies. */
async function readyzUntil(c: Cluster, status: number, timeoutMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = await Promise.all(
      c.backends.map(async (b) => {
        const res = await fetch(`${b.url}/readyz`, { signal: AbortSignal.timeout(2000) }).catch(() => undefined);
        return { status: res?.status ?? 0, body: (await res?.text().catch(() => "")) ?? "" };
      }),
    );
    if (got.every((g) => g.status === status)) return got.map((g) => g.body.trim());
    if (Date.now() > deadline) throw new Error(`/readyz not ${status} after ${timeoutMs} ms: ${JSON.stringify(got)}`);
    await sleep(100);
  }
}

const count = (text: string, re: RegExp) => text.match(new RegExp(re.source, "g"))?.length ?? 0;

test("three replica processes: one killed -9 and restarted, then PostgreSQL stopped and started — writes fail with unavailable, /readyz says so, watchers lose nothing", async () => {
  const seed = faultSeed() + 1;
  const c: Partial<Cluster> = {};
  let failed = true;
  try {
    const cl = await startCluster(3, seed, c);
    await sleep(cl.rng.int(800, 1200));
    // Replica 1 serves API server 1 and a quarter of the writers: all of them lose it for a while.
    await cl.backends[1]!.kill9();
    await sleep(cl.rng.int(300, 700));
    await cl.backends[1]!.start();
    await sleep(cl.rng.int(800, 1200));

    const outageStart = Date.now();
    await stopPostgres();
    const codes = await probeWrites(cl);
    const down = await readyzUntil(cl, 503, 10_000);
    await sleep(500);
    await startPostgres();
    const outageMs = Date.now() - outageStart;
    const up = await readyzUntil(cl, 200, 15_000);
    await sleep(cl.rng.int(800, 1200));
    await finish(cl, `replica processes with faults (seed ${seed}, PostgreSQL down ${outageMs} ms)`);

    const logs = cl.backends.map((b) => b.tail());
    console.log(`outage: writes got ${codes.join(", ")}; /readyz during it: ${down[0]}; after: ${up[0]}`);
    expect(codes).toEqual(cl.backends.map(() => "Unavailable"));
    for (const body of down) expect(body).toMatch(/^store unavailable: PostgreSQL unavailable/);
    // Logged once when it went away and once when it came back, on every replica — not per request.
    for (const l of logs) expect([count(l, /PostgreSQL unavailable \(/), count(l, /PostgreSQL answers again/)]).toEqual([1, 1]);
    expect(cl.writers.reduce((n, w) => n + w.stats.uncertain, 0)).toBeGreaterThan(0);
    expect(cl.backends[1]!.starts).toBe(2);
    failed = false;
  } finally {
    await teardown(c, failed);
  }
}, 58_000);
