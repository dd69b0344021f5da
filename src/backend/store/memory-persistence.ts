/**
 * A Persistence held in memory, for tests and for running without a data directory. It stores
 * objects as JSON text, like SQLite does, so values JSON cannot represent behave the same on both
 * and callers can never mutate stored state through a shared reference.
 */
import type { KubeObject } from "../../kinds/model.ts";
import { checkCommitBatch } from "./commit-check.ts";
import type { ChangeType, CommitBatch, LoadedState, Persistence, RetentionPolicy, StoredEvent } from "./persistence.ts";
import { retentionCut } from "./retention.ts";
import { PersistenceClosedError } from "./store-errors.ts";

/**
 * The "disk" of a memory store. Passing the same backing to a second createMemoryPersistence after
 * closing the first simulates a process restart, so restart behaviour can be tested without files.
 */
export interface MemoryBacking {
  readonly __memoryBacking: true;
}

interface ObjectRow {
  kind: string;
  namespace: string;
  name: string;
  body: string;
}

interface EventRow {
  rv: number;
  kind: string;
  type: ChangeType;
  namespace: string;
  name: string;
  body: string;
  prevLabels: string | undefined;
  time: number;
}

interface BackingData extends MemoryBacking {
  objects: Map<string, ObjectRow>;
  /** Ascending by rv (commit validation guarantees appends are in order). */
  events: EventRow[];
  rv: number;
  floor: number;
}

/** An empty backing; see MemoryBacking. */
export function createMemoryBacking(): MemoryBacking {
  const data: BackingData = { __memoryBacking: true, objects: new Map(), events: [], rv: 0, floor: 0 };
  return data;
}

/** Same contract as the SQLite store, including all-or-nothing commits and retention. */
export function createMemoryPersistence(backing: MemoryBacking = createMemoryBacking()): Persistence {
  const data = backing as BackingData;
  let closed = false;
  const live = (): void => {
    if (closed) throw new PersistenceClosedError();
  };

  /** Index of the first event with rv > afterRv. */
  const firstAfter = (afterRv: number): number => {
    let lo = 0;
    let hi = data.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (data.events[mid]!.rv <= afterRv) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  return {
    async load(): Promise<LoadedState> {
      live();
      const rows = [...data.objects.values()].sort(
        (a, b) => cmp(a.kind, b.kind) || cmp(a.namespace, b.namespace) || cmp(a.name, b.name),
      );
      return {
        objects: rows.map((r) => ({ kind: r.kind, object: JSON.parse(r.body) as KubeObject })),
        rv: data.rv,
        floorRv: data.floor,
      };
    },

    async commit(batch: CommitBatch): Promise<void> {
      live();
      // Everything that can throw happens before the first change: there is no rollback here.
      checkCommitBatch(batch, data.rv);
      const rows: EventRow[] = batch.events.map((e) => ({
        rv: e.rv,
        kind: e.kind,
        type: e.type,
        namespace: e.namespace,
        name: e.name,
        body: JSON.stringify(e.object),
        prevLabels: e.prevLabels === undefined ? undefined : JSON.stringify(e.prevLabels),
        time: e.time,
      }));
      for (const r of rows) {
        const key = objectRowKey(r.kind, r.namespace, r.name);
        if (r.type === "DELETED") data.objects.delete(key);
        else data.objects.set(key, { kind: r.kind, namespace: r.namespace, name: r.name, body: r.body });
        data.events.push(r);
      }
      data.rv = batch.rv;
    },

    async readEvents(kind: string, afterRv: number, limit: number): Promise<StoredEvent[]> {
      live();
      const out: StoredEvent[] = [];
      for (let i = firstAfter(afterRv); i < data.events.length && out.length < limit; i++) {
        const r = data.events[i]!;
        if (r.kind !== kind) continue;
        const event: StoredEvent = {
          rv: r.rv,
          kind: r.kind,
          type: r.type,
          namespace: r.namespace,
          name: r.name,
          object: JSON.parse(r.body) as KubeObject,
          time: r.time,
        };
        if (r.prevLabels !== undefined) event.prevLabels = JSON.parse(r.prevLabels) as Record<string, string>;
        out.push(event);
      }
      return out;
    },

    async trim(policy: RetentionPolicy, nowMs: number): Promise<number> {
      live();
      const ev = data.events;
      const cut = retentionCut(policy, nowMs, {
        rvWithNewer: (offset) => ev[ev.length - 1 - offset]?.rv,
        firstRvAtOrAfter: (cutoff) => ev.find((e) => e.time >= cutoff)?.rv,
        lastRvBelow: (rv) => ev[firstAfter(rv - 1) - 1]?.rv,
        lastRv: () => ev[ev.length - 1]?.rv,
      });
      if (cut <= data.floor) return data.floor;
      ev.splice(0, firstAfter(cut));
      data.floor = cut;
      return cut;
    },

    async eventCount(): Promise<number> {
      live();
      return data.events.length;
    },

    async close(): Promise<void> {
      closed = true;
    },
  };
}

function objectRowKey(kind: string, namespace: string, name: string): string {
  return JSON.stringify([kind, namespace, name]);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
