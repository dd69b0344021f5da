/**
 * An event-log row as SQL stores keep it (rv, kind, type, namespace, name, body and prev_labels
 * as JSON text, time in ms) → the StoredEvent the engine and watchers use. SQLite and PostgreSQL
 * return the same columns, so one reading of them serves both.
 */
import type { KubeObject } from "../../kinds/model.ts";
import type { ChangeType, StoredEvent } from "./persistence.ts";

/** Reads one event-log row; `prev_labels` is absent for ADDED and DELETED events. */
export function eventFromRow(r: Record<string, unknown>): StoredEvent {
  const event: StoredEvent = {
    rv: Number(r.rv),
    kind: String(r.kind),
    type: String(r.type) as ChangeType,
    namespace: String(r.namespace),
    name: String(r.name),
    object: JSON.parse(String(r.body)) as KubeObject,
    time: Number(r.time),
  };
  if (r.prev_labels !== null && r.prev_labels !== undefined) {
    event.prevLabels = JSON.parse(String(r.prev_labels)) as Record<string, string>;
  }
  return event;
}
