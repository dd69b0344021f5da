/**
 * Streaming vs polling under the same workload. For one mode: start an API server in that mode
 * (connected to the backend directly; its bytes counted by the kernel), connect the watchers from the current resourceVersion,
 * warm the new API server up (api-warm-up.ts), then
 *  1. idle window: no writes — what does merely keeping watches open cost the backend?
 *  2. load window: paced Connect `Update`s to the backend (distinct objects, so a poller can see
 *     each one), until every watcher has every event or the drain timeout passes; latency is
 *     receipt at the watch client minus the write's acknowledgement at the writer.
 * The API server is stopped afterwards, so the next mode starts from the same clean state.
 */
import type { BackendWriter } from "../backend-writer.ts";
import { pacedUpdates } from "../backend-writer.ts";
import type { LatencySummary } from "../latency.ts";
import { procDelta, type ProcDelta } from "../proc-stats.ts";
import { openWindow, type WindowFigures } from "../measure-window.ts";
import { warmUpApiServer } from "../api-warm-up.ts";
import { deliveryTimeoutMs, type Profile } from "../profile.ts";
import { startApiServerProc, type BackendProc } from "../stack.ts";
import { watchPath, type OpenResult, type WaitResult, type WatchPool } from "../watch-pool.ts";

export interface ModeResult {
  mode: "streaming" | "polling";
  watchers: number;
  open: OpenResult;
  idle: WindowFigures;
  load: WindowFigures;
  /**
   * Only while the paced writes run (the same length in both modes, unlike `load`, whose drain
   * waits a polling interval longer): the backend's and the API server's CPU under 100 writes/s.
   */
  during: { ms: number; backend: ProcDelta; apiServer: ProcDelta };
  writes: number;
  writeErrors: number;
  lastWriteError: string;
  achievedRate: number;
  delivery: WaitResult;
  latency: LatencySummary;
  /** Problems seen (lost events, errors, crashes): reported, never hidden. */
  problems: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runMode(
  mode: "streaming" | "polling",
  p: Profile,
  backend: BackendProc,
  writer: BackendWriter,
  pool: WatchPool,
  log: (s: string) => void,
): Promise<ModeResult> {
  const problems: string[] = [];
  const api = await startApiServerProc(mode, backend.port, p.pollingInterval, backend.access);
  try {
    const targets = { backendPort: backend.port, backendAccess: backend.access, backend: backend.child, apiServer: api.child, wire: api.wire, client: pool.process };
    const rv = await writer.currentRv();
    const open = await pool.open(api.port, watchPath(p.namespace, rv), p.modeWatchers);
    log(`  ${mode}: ${open.opened} watchers connected in ${open.ms.toFixed(0)} ms${open.failed ? `, ${open.failed} failed (${open.lastConnectFailure})` : ""}`);
    if (open.failed) problems.push(`${open.failed} watch connections failed: ${open.lastConnectFailure}`);
    await sleep(1500); // first poll / stream snapshot done; connection set-up traffic out of the window
    const warm = (await warmUpApiServer(mode, p, writer, pool, true))!;
    if (!warm.complete) problems.push(`${warm.below} of ${warm.watchers} watchers did not get the API server's warm-up writes`);

    const idleWin = await openWindow(targets);
    await sleep(p.idleMs);
    const idle = await idleWin.close();
    log(`  ${mode}: idle ${(idle.ms / 1000).toFixed(1)} s: ${idle.listCalls} List calls, ${idle.wireBytes} bytes on the wire`);

    await pool.mark(true);
    const loadWin = await openWindow(targets);
    const count = Math.round((p.loadRate * p.loadMs) / 1000);
    const before = { backend: backend.child.sample(), api: api.child.sample(), t: performance.now() };
    const paced = await pacedUpdates(writer, { namespace: p.namespace, objects: p.objects, rate: p.loadRate, count, tag: `${mode}-load` });
    const during = {
      ms: performance.now() - before.t,
      backend: procDelta(before.backend, backend.child.sample()),
      apiServer: procDelta(before.api, api.child.sample()),
    };
    const drainMs = deliveryTimeoutMs(mode, p);
    const delivery = await pool.wait(paced.acks.length, drainMs);
    const load = await loadWin.close();
    const latency = await pool.latency(paced.acks);
    log(
      `  ${mode}: ${paced.acks.length} writes at ${paced.achievedRate.toFixed(0)}/s; ` +
        `${latency.matched}/${latency.expected} deliveries; p50 ${latency.fromAck.p50.toFixed(2)} ms, p99 ${latency.fromAck.p99.toFixed(2)} ms`,
    );
    if (paced.errors) problems.push(`${paced.errors} writes failed: ${paced.lastError}`);
    if (!delivery.complete) {
      problems.push(
        `${delivery.below} of ${delivery.watchers} watchers did not get all ${paced.acks.length} events within ${drainMs} ms ` +
          `(min ${delivery.minCount}, max ${delivery.maxCount})`,
      );
    }
    if (latency.matched !== latency.expected) problems.push(`${latency.expected - latency.matched} deliveries missing (of ${latency.expected})`);
    if (delivery.errorLines) problems.push(`${delivery.errorLines} ERROR events, last: ${delivery.lastError}`);
    if (delivery.unexpectedCloses) problems.push(`${delivery.unexpectedCloses} watches closed by the server (${delivery.lastClose})`);
    if (api.child.exit) problems.push(`the API server exited (${api.child.exit}): ${api.child.tail().slice(-2000)}`);
    await pool.closeAll();
    return {
      mode,
      watchers: open.opened,
      open,
      idle,
      load,
      during,
      writes: paced.acks.length,
      writeErrors: paced.errors,
      lastWriteError: paced.lastError,
      achievedRate: paced.achievedRate,
      delivery,
      latency,
      problems,
    };
  } finally {
    await pool.closeAll().catch(() => undefined);
    await api.stop();
  }
}
