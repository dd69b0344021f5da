/**
 * The PostgreSQL write of one commit batch as a single statement: objects deleted, objects
 * upserted, events appended, counter advanced and the commit NOTIFY queued, whatever the batch
 * size — one round trip instead of two or three per event. The rows travel as three JSON arrays
 * expanded by `json_to_recordset`; object bodies are spliced in as JSON values (not re-escaped
 * strings), and a `json` column keeps their text exactly as written, so the stored body is the
 * same `JSON.stringify` output as before.
 *
 * The parts of a data-modifying WITH all see one snapshot and may not touch a row twice, so the
 * batch is first reduced to the final state of each object it touches: its last event decides
 * whether the object is upserted (with that event's body) or deleted. Every event is still
 * appended, in rv order.
 */
import type { StoredEvent } from "./persistence.ts";

export const WRITE_BATCH_SQL = `WITH
del AS (
  DELETE FROM objects o USING json_to_recordset($1::text::json) AS x(kind text, namespace text, name text)
  WHERE o.kind = x.kind AND o.namespace = x.namespace AND o.name = x.name
),
ups AS (
  INSERT INTO objects (kind, namespace, name, rv, body)
  SELECT x.kind, x.namespace, x.name, x.rv, x.body::text
  FROM json_to_recordset($2::text::json) AS x(kind text, namespace text, name text, rv bigint, body json)
  ON CONFLICT (kind, namespace, name) DO UPDATE SET rv = excluded.rv, body = excluded.body
),
ev AS (
  INSERT INTO events (rv, kind, type, namespace, name, body, prev_labels, time)
  SELECT x.rv, x.kind, x.type, x.namespace, x.name, x.body::text, x.prev_labels::text, x.time
  FROM json_to_recordset($3::text::json) AS x(rv bigint, kind text, type text, namespace text, name text, body json, prev_labels json, time bigint)
),
ctr AS (UPDATE counter SET rv = $4 WHERE id = 1)
SELECT pg_notify($5, $6)`;

/** The three JSON-array parameters of WRITE_BATCH_SQL for `events` (in rv order). */
export function batchRows(events: readonly StoredEvent[]): { deletes: string; upserts: string; events: string } {
  const bodies = events.map((e) => JSON.stringify(e.object));
  const last = new Map<string, number>();
  events.forEach((e, i) => last.set(`${e.kind}\u0000${e.namespace}\u0000${e.name}`, i));
  const deletes: string[] = [];
  const upserts: string[] = [];
  for (const i of last.values()) {
    const e = events[i]!;
    const key = `"kind":${JSON.stringify(e.kind)},"namespace":${JSON.stringify(e.namespace)},"name":${JSON.stringify(e.name)}`;
    if (e.type === "DELETED") deletes.push(`{${key}}`);
    else upserts.push(`{${key},"rv":${e.rv},"body":${bodies[i]}}`);
  }
  const rows = events.map((e, i) => {
    const prev = e.prevLabels === undefined ? "null" : JSON.stringify(e.prevLabels);
    return (
      `{"rv":${e.rv},"kind":${JSON.stringify(e.kind)},"type":${JSON.stringify(e.type)},"namespace":${JSON.stringify(e.namespace)},` +
      `"name":${JSON.stringify(e.name)},"body":${bodies[i]},"prev_labels":${prev},"time":${e.time}}`
    );
  });
  return { deletes: `[${deletes.join(",")}]`, upserts: `[${upserts.join(",")}]`, events: `[${rows.join(",")}]` };
}
