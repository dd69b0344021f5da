/**
 * Opens a SQLite store left behind by a killed backend (before anything restarts on it) and checks
 * that it holds whole commits only:
 *
 * - the event log is contiguous from the retention floor to the stored counter;
 * - every object is the last event of its key, at the same version with the same content, and
 *   every key whose last event is DELETED has no object;
 * - derived data agrees with its inputs: recomputing every derived object from scratch (the
 *   backend's start-up reconcile, run on a scratch copy) would write nothing.
 *
 * A crash between two statements of a commit, or a commit split in two, breaks one of these.
 */
import { createDeriveStep } from "../../src/backend/derive/derive-step.ts";
import { mapStateView, type ObjectsByKind } from "../../src/backend/derive/derive-all.ts";
import { openSqlitePersistence } from "../../src/backend/store/sqlite-persistence.ts";
import type { StoredEvent } from "../../src/backend/store/persistence.ts";
import { KINDS } from "../../src/kinds/kind-table.ts";
import { jsonEqual, objectKey, type KubeObject } from "../../src/kinds/model.ts";

export interface StoreCheck {
  rv: number;
  objects: number;
  events: number;
  violations: string[];
}

/** Reads the store at `path` and lists every broken invariant (empty when it is consistent). */
export async function checkStoreFile(path: string): Promise<StoreCheck> {
  const store = await openSqlitePersistence(path);
  try {
    const loaded = await store.load();
    const events: StoredEvent[] = [];
    for (const k of KINDS) events.push(...(await store.readEvents(k.kind, loaded.floorRv, Number.MAX_SAFE_INTEGER)));
    events.sort((a, b) => a.rv - b.rv);
    const violations: string[] = [];

    for (const [i, e] of events.entries()) {
      const want = loaded.floorRv + i + 1;
      if (e.rv !== want) {
        violations.push(`event log: rv ${e.rv} where ${want} was expected`);
        break;
      }
    }
    const lastRv = events.at(-1)?.rv ?? loaded.floorRv;
    if (lastRv !== loaded.rv) violations.push(`stored counter ${loaded.rv}, newest event ${lastRv}`);

    const lastEvent = new Map<string, StoredEvent>();
    for (const e of events) lastEvent.set(`${e.kind} ${objectKey(e.namespace, e.name)}`, e);
    const objects: ObjectsByKind = new Map(KINDS.map((k) => [k.kind, new Map<string, KubeObject>()]));
    for (const { kind, object } of loaded.objects) {
      const key = objectKey(object.metadata.namespace, object.metadata.name);
      objects.get(kind)!.set(key, object);
      const e = lastEvent.get(`${kind} ${key}`);
      const rv = Number(object.metadata.resourceVersion);
      if (!e) violations.push(`${kind} ${key} (rv ${rv}) has no event`);
      else if (e.type === "DELETED") violations.push(`${kind} ${key} (rv ${rv}) exists although its last event (rv ${e.rv}) deleted it`);
      else if (e.rv !== rv || !jsonEqual(e.object, object)) violations.push(`${kind} ${key}: object at rv ${rv}, its last event is rv ${e.rv} with other content`);
    }
    for (const [k, e] of lastEvent) {
      if (e.type !== "DELETED" && !objects.get(e.kind)!.has(objectKey(e.namespace, e.name))) violations.push(`${k}: last event ${e.type} at rv ${e.rv}, but no object`);
    }

    const derivedWrites: string[] = [];
    createDeriveStep().reconcile({
      state: mapStateView(objects),
      now: new Date(),
      newUid: () => crypto.randomUUID(),
      write(kind, type, obj) {
        derivedWrites.push(`${type} ${kind.kind} ${objectKey(obj.metadata.namespace, obj.metadata.name)}`);
        const m = objects.get(kind.kind)!;
        const key = objectKey(obj.metadata.namespace, obj.metadata.name);
        if (type === "DELETED") m.delete(key);
        else m.set(key, obj);
      },
    });
    if (derivedWrites.length) violations.push(`derived data out of date (reconcile would write ${derivedWrites.length}): ${derivedWrites.slice(0, 5).join("; ")}`);

    return { rv: loaded.rv, objects: loaded.objects.length, events: events.length, violations: violations.slice(0, 30) };
  } finally {
    await store.close();
  }
}
