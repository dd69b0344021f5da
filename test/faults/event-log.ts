/**
 * The backend's event log read back through its public API — one Watch per kind from a
 * resourceVersion, read until the newest committed version — and the checks the fault suites apply
 * to it: every version exactly once, in order per kind, and every acknowledged write at the
 * version its acknowledgement named.
 */
import { KINDS } from "../../src/kinds/kind-table.ts";
import type { KubeObject } from "../../src/kinds/model.ts";
import { watchKindRpc } from "../helpers/rpc-helpers.ts";
import { decodeEvent } from "../helpers/watch-reader.ts";
import type { NgClient } from "./backend-calls.ts";
import type { WriteAck } from "./acked-writers.ts";

/** One event of the log. */
export interface LogEvent {
  rv: number;
  kind: string;
  type: string;
  namespace: string;
  name: string;
  object: KubeObject;
}

/** Reads every kind's events after `afterRv` up to the backend's current version (writers stopped). */
export async function readEventLog(client: NgClient, afterRv: number, timeoutMs = 20_000): Promise<{ events: LogEvent[]; currentRv: number }> {
  if (afterRv < 1) throw new Error("readEventLog needs afterRv >= 1 (a Watch from 0 is a snapshot, not the log)");
  const currentRv = Number((await client.syncStatus({}, { timeoutMs })).resourceVersion);
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), timeoutMs);
  try {
    const perKind = await Promise.all(
      KINDS.map(async (kind) => {
        const out: LogEvent[] = [];
        if (currentRv <= afterRv) return out;
        const stream = watchKindRpc(client, kind, { resourceVersion: String(afterRv), allowBookmarks: true }, ac.signal);
        for await (const raw of stream) {
          const e = decodeEvent(kind, raw);
          if (e.type === "ERROR") throw new Error(`log of ${kind.kind} from ${afterRv}: ERROR ${e.error}`);
          if (e.type !== "BOOKMARK" && e.object) {
            out.push({ rv: e.rv, kind: kind.kind, type: e.type, namespace: e.object.metadata.namespace, name: e.name, object: e.object });
          }
          if (e.rv >= currentRv) break;
        }
        return out;
      }),
    );
    return { events: perKind.flat(), currentRv };
  } finally {
    clearTimeout(timer);
    ac.abort();
  }
}

/**
 * Gaps, repeats and disorder in `events` against the expected versions afterRv+1..toRv (the union
 * over all kinds must be exactly that range, since every change takes the next version).
 */
export function logViolations(events: readonly LogEvent[], afterRv: number, toRv: number): string[] {
  const out: string[] = [];
  const lastByKind = new Map<string, number>();
  for (const e of events) {
    const last = lastByKind.get(e.kind) ?? afterRv;
    if (e.rv <= last) out.push(`${e.kind}: rv ${e.rv} after ${last} (repeat or out of order)`);
    lastByKind.set(e.kind, e.rv);
    if (Number(e.object.metadata.resourceVersion) !== e.rv) out.push(`${e.kind} ${e.name}: event rv ${e.rv} carries object rv ${e.object.metadata.resourceVersion}`);
  }
  const seen = new Map<number, number>();
  for (const e of events) seen.set(e.rv, (seen.get(e.rv) ?? 0) + 1);
  for (const [rv, n] of seen) if (n > 1) out.push(`rv ${rv} appears ${n} times`);
  const missing: number[] = [];
  for (let rv = afterRv + 1; rv <= toRv; rv++) if (!seen.has(rv)) missing.push(rv);
  if (missing.length) out.push(`${missing.length} versions missing from the log, first ${missing.slice(0, 10).join(", ")}`);
  for (const rv of seen.keys()) if (rv <= afterRv || rv > toRv) out.push(`rv ${rv} outside ${afterRv + 1}..${toRv}`);
  return out.slice(0, 50);
}

/** Acknowledged writes not found in the log at their version with their kind, name, type and label. */
export function ackViolations(acks: readonly WriteAck[], events: readonly LogEvent[]): string[] {
  const byRv = new Map(events.map((e) => [e.rv, e]));
  const out: string[] = [];
  for (const a of acks) {
    const e = byRv.get(a.rv);
    const what = `${a.type} ${a.kind} ${a.name} acknowledged at rv ${a.rv}`;
    if (!e) out.push(`${what}: no event at that version`);
    else if (e.kind !== a.kind || e.name !== a.name || e.namespace !== a.namespace || e.type !== a.type) {
      out.push(`${what}: the log has ${e.type} ${e.kind} ${e.namespace}/${e.name} there`);
    } else if ((e.object.metadata.labels?.rev ?? "") !== a.rev) out.push(`${what}: label rev ${e.object.metadata.labels?.rev}, written ${a.rev}`);
  }
  return out.slice(0, 50);
}
