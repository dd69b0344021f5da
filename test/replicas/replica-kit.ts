/** Backend engines sharing one fresh PostgreSQL database, and watchers that record what they see. */
import { createEngine, type Engine } from "../../src/backend/engine/engine.ts";
import { openPostgresPersistence } from "../../src/backend/store/postgres-persistence.ts";
import type { StoredEvent } from "../../src/backend/store/persistence.ts";

/** Opens one replica: its own connection pool, LISTEN connection and engine. */
export async function openReplica(url: string, tailIntervalMs = 1000): Promise<Engine> {
  const persistence = await openPostgresPersistence(url, { log: () => {} });
  return createEngine({ persistence, retention: { maxEvents: 0, maxAgeMs: 0 }, ringCapacity: 4096, trimIntervalMs: 0, tailIntervalMs });
}

export interface Recorder {
  seen: StoredEvent[];
  lastRv(): number;
  stop(): void;
}

/** Reads every event of `kind` after `afterRv` from the replica's rings (and log), as a watcher does. */
export function record(engine: Engine, kind: string, afterRv = 0): Recorder {
  const seen: StoredEvent[] = [];
  let stopped = false;
  const cursor = engine.events.cursor(kind, afterRv);
  void (async () => {
    while (!stopped) {
      const r = await engine.events.read(cursor).catch(() => undefined);
      if (r?.kind === "events" && r.events.length) {
        seen.push(...r.events);
        continue;
      }
      await Promise.race([engine.events.changed(kind), Bun.sleep(50)]).catch(() => undefined);
    }
  })().catch(() => undefined); // a closed engine ends the recorder; the test's own assertions report
  return { seen, lastRv: () => cursor.lastRv, stop: () => void (stopped = true) };
}

/** Waits until `cond` holds, failing after `ms`. */
export async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(20);
  }
}

/** The identity of an event, for comparing sequences. */
export const key = (e: StoredEvent): string => `${e.rv} ${e.type} ${e.namespace}/${e.name}`;
