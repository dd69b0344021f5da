/**
 * Reads an upstream netguard-pg-backend database: every row of every table in UPSTREAM_TABLES with
 * its k8s_metadata row, in ONE statement, so the import sees one consistent snapshot even while
 * upstream keeps writing. Rows come as JSON (to_jsonb), so column types never reach the driver's
 * conversions and a row of any shape can be reported instead of crashing the read.
 */
import type { PostgresReader } from "../runtime/postgres-reader.ts";
import type { UpstreamRow } from "./row-decoders.ts";
import { UPSTREAM_TABLES, type UpstreamTable } from "./upstream-tables.ts";

export interface SourceRow {
  table: UpstreamTable;
  row: UpstreamRow;
  /** The joined k8s_metadata row; null when the row has none. */
  meta: UpstreamRow | null;
}

/** The snapshot statement: one SELECT per table, joined to k8s_metadata, in dependency order. */
export function snapshotStatement(tables: readonly UpstreamTable[] = UPSTREAM_TABLES): string {
  const parts = tables.map(
    (t, i) =>
      `SELECT ${i} AS i, x.namespace::text AS ns, x.name::text AS n, to_jsonb(x)::text AS r, to_jsonb(m)::text AS m ` +
      `FROM ${t.table} x LEFT JOIN k8s_metadata m ON m.resource_version = x.resource_version`,
  );
  return `${parts.join("\nUNION ALL\n")}\nORDER BY i, ns, n`;
}

/** All rows, in dependency order; rejects (PostgresReadError) when the source cannot be read. */
export async function readUpstream(reader: PostgresReader, tables: readonly UpstreamTable[] = UPSTREAM_TABLES): Promise<SourceRow[]> {
  const rows = await reader.query(snapshotStatement(tables));
  return rows.map((r) => ({
    table: tables[Number(r.i)]!,
    row: JSON.parse(String(r.r)) as UpstreamRow,
    meta: r.m === null || r.m === undefined ? null : (JSON.parse(String(r.m)) as UpstreamRow),
  }));
}
