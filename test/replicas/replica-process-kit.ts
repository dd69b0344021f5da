/**
 * Helpers for the replica-process suite: backend replica processes over one PostgreSQL database,
 * restarting the PostgreSQL server itself (always brought back), and the end-of-run checks every
 * watcher must pass against the log read back through a Watch from resourceVersion 1.
 */
import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import { promisify } from "node:util";
import type { KindDescriptor } from "../../src/kinds/kind-table.ts";
import { objectKey } from "../../src/kinds/model.ts";
import { listAll, type NgClient } from "../faults/backend-calls.ts";
import type { LogEvent } from "../faults/event-log.ts";
import { backendProcess, type RestartableProcess } from "../faults/fault-processes.ts";
import { trackerLogViolations, trackerStateViolations, type WatchTracker } from "../faults/watch-tracker.ts";

const run = promisify(execFile);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A backend replica process (not started) on `dbUrl` (`postgres://…`), ring and bookmarks small. */
export function postgresBackend(dbUrl: string): Promise<RestartableProcess> {
  return backendProcess({ storePath: "", env: { NETGUARD_STORAGE: dbUrl, NETGUARD_RING_CAPACITY: "4096" } });
}

/** Whether the local PostgreSQL server accepts connections (pg_isready). */
export async function postgresReady(): Promise<boolean> {
  try {
    await run("pg_isready", ["-h", "127.0.0.1", "-p", "5432", "-t", "2"], { timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

/** Waits (bounded) until PostgreSQL accepts connections again. */
export async function waitPostgresReady(timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await postgresReady())) {
    if (Date.now() > deadline) throw new Error(`PostgreSQL not ready after ${timeoutMs} ms`);
    await sleep(100);
  }
}

function pgctl(action: "stop" | "start" | "restart"): Promise<unknown> {
  const version = readdirSync("/etc/postgresql")[0]!;
  return run("pg_ctlcluster", ["--skip-systemctl-redirect", version, "main", action], { timeout: 20_000 });
}

/** Stops the PostgreSQL cluster (fast shutdown: sessions are terminated, open transactions roll back). */
export async function stopPostgres(): Promise<void> {
  await pgctl("stop");
}

/** Starts the cluster and waits for pg_isready. */
export async function startPostgres(): Promise<void> {
  await pgctl("start").catch(() => undefined); // "already running" is fine
  await waitPostgresReady();
}

/** For afterAll: whatever happened, the shared server is up when the suite ends. */
export async function ensurePostgresUp(): Promise<void> {
  if (await postgresReady()) return;
  await startPostgres();
}

/** Waits until every tracker has reached the newest event of its kind in the log. */
export async function converge(trackers: readonly WatchTracker[], log: readonly LogEvent[], timeoutMs: number): Promise<void> {
  const newest = new Map<string, number>();
  for (const e of log) newest.set(e.kind, Math.max(newest.get(e.kind) ?? 0, e.rv));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const behind = trackers.filter((t) => t.rv < (newest.get(t.kind) ?? 0));
    if (!behind.length) return;
    if (Date.now() > deadline) throw new Error(`watchers did not catch up: ${behind.map((t) => `${t.label} at ${t.rv} (newest ${newest.get(t.kind)})`).join(", ")}`);
    await sleep(100);
  }
}

/**
 * Every tracker (all started at `startRv`, before any writer): no violation while watching, one segment (never relisted, so nothing was skipped
 * by a relist), its events exactly the log's events of its kind in log order, its view the list.
 */
export async function watcherProblems(trackers: readonly WatchTracker[], log: readonly LogEvent[], client: NgClient, kinds: readonly KindDescriptor[], startRv: number): Promise<string[]> {
  const listed = new Map<string, Map<string, number>>();
  for (const k of kinds) {
    const { items } = await listAll(client, k, 10_000);
    listed.set(k.kind, new Map(items.map((o) => [objectKey(o.metadata.namespace, o.metadata.name), Number(o.metadata.resourceVersion)])));
  }
  const newest = (kind: string) => log.filter((e) => e.kind === kind).reduce((n, e) => Math.max(n, e.rv), 0);
  return [
    ...trackers.flatMap((t) => t.violations),
    ...trackers.filter((t) => t.segments.length !== 1).map((t) => `${t.label}: ${t.segments.length} segments (relisted ${t.relists}×)`),
    ...trackers.filter((t) => t.segments[0]?.startRv !== startRv).map((t) => `${t.label}: started at rv ${t.segments[0]?.startRv}, not at ${startRv} (before the writers)`),
    ...trackers.filter((t) => t.events !== log.filter((e) => e.kind === t.kind && e.rv > (t.segments[0]?.startRv ?? 0) && e.rv <= newest(t.kind)).length).map((t) => `${t.label}: ${t.events} events`),
    ...trackers.flatMap((t) => trackerLogViolations(t, log)),
    ...trackers.flatMap((t) => trackerStateViolations(t, listed.get(t.kind)!)),
  ];
}
