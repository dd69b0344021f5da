/**
 * Server-side table rendering (`Accept: application/json;as=Table;...`): kubectl prints exactly these
 * columns, so Age is rendered here and each row carries the object's metadata (or the whole object
 * with includeObject=Object) for -A, --show-labels and --sort-by.
 */
import type { KindDescriptor } from "../kinds/kind-table.ts";
import { isTerminating } from "../kinds/finalizers.ts";
import type { KubeObject } from "../kinds/model.ts";

export type IncludeObject = "None" | "Metadata" | "Object";

export interface ColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export interface TableRow {
  cells: unknown[];
  object?: unknown;
}

const NAME_COLUMN: ColumnDefinition = {
  name: "Name",
  type: "string",
  format: "name",
  description: "Name must be unique within a namespace.",
  priority: 0,
};
/**
 * Every kind's lifecycle, where kubectl users look for it: `kubectl get pvc`, `get pods` and
 * `get namespaces` all show "Terminating" in a STATUS column while finalizers hold a delete, so
 * netguard objects do the same ("Active" otherwise, as Namespaces do). Readiness keeps its own
 * Ready column (-o wide).
 */
const STATUS_COLUMN: ColumnDefinition = {
  name: "Status",
  type: "string",
  format: "",
  description: "Terminating while a delete waits for finalizers (in-use protection), otherwise Active.",
  priority: 0,
};
const statusCell = (obj: KubeObject): string => (isTerminating(obj) ? "Terminating" : "Active");
const AGE_COLUMN: ColumnDefinition = {
  name: "Age",
  type: "string",
  format: "",
  description: "Time since creation (server-rendered).",
  priority: 0,
};

const columnCache = new Map<string, ColumnDefinition[]>();

/** Name, the kind's columns at priority 0, Status, Age, then the priority-1 extras (shown with -o wide). */
export function tableColumns(kind: KindDescriptor): ColumnDefinition[] {
  let cols = columnCache.get(kind.kind);
  if (!cols) {
    const main = kind.columns.filter((c) => c.priority === 0);
    const wide = kind.columns.filter((c) => c.priority === 1);
    const def = (c: (typeof kind.columns)[number]): ColumnDefinition => ({ name: c.name, type: c.type, format: "", description: c.description, priority: c.priority });
    cols = [NAME_COLUMN, ...main.map(def), STATUS_COLUMN, AGE_COLUMN, ...wide.map(def)];
    columnCache.set(kind.kind, cols);
  }
  return cols;
}

/** Kubernetes' short human duration: 45s, 12m, 5h, 3d (under 90s → s, under 90m → m, under 48h → h). */
export function humanAge(creation: string | undefined, now: number): string {
  if (!creation) return "<unknown>";
  const t = Date.parse(creation);
  if (Number.isNaN(t)) return "<unknown>";
  const s = Math.max(0, Math.floor((now - t) / 1000));
  if (s < 90) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 90) return `${m}m`;
  const h = Math.round(s / 3600);
  if (h < 48) return `${h}h`;
  return `${Math.floor(s / 86400)}d`;
}

function rowObject(obj: KubeObject, include: IncludeObject): unknown {
  if (include === "None") return undefined;
  if (include === "Object") return obj;
  return { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: obj.metadata };
}

export function tableRow(kind: KindDescriptor, obj: KubeObject, include: IncludeObject, now: number): TableRow {
  const o = obj as unknown as Record<string, unknown>;
  const main = kind.columns.filter((c) => c.priority === 0).map((c) => c.cell(o));
  const wide = kind.columns.filter((c) => c.priority === 1).map((c) => c.cell(o));
  const row: TableRow = { cells: [obj.metadata.name, ...main, statusCell(obj), humanAge(obj.metadata.creationTimestamp, now), ...wide] };
  const ro = rowObject(obj, include);
  if (ro !== undefined) row.object = ro;
  return row;
}

/** A whole Table (list, get, or one watch event when `withColumns` is false for later events). */
export function renderTable(
  kind: KindDescriptor,
  objs: readonly KubeObject[],
  meta: { resourceVersion?: string; continue?: string },
  include: IncludeObject,
  withColumns = true,
  now = Date.now(),
): Record<string, unknown> {
  const metadata: Record<string, string> = {};
  if (meta.resourceVersion) metadata.resourceVersion = meta.resourceVersion;
  if (meta.continue) metadata.continue = meta.continue;
  const table: Record<string, unknown> = { kind: "Table", apiVersion: "meta.k8s.io/v1", metadata };
  if (withColumns) table.columnDefinitions = tableColumns(kind);
  table.rows = objs.map((o) => tableRow(kind, o, include, now));
  return table;
}

/** Whether the Accept header asks for a Table (kubectl's human output). */
export function wantsTable(accept: string | null): boolean {
  return !!accept && /as=Table/.test(accept) && /g=meta\.k8s\.io/.test(accept);
}

export function parseIncludeObject(v: string | null): IncludeObject {
  return v === "None" || v === "Object" ? v : "Metadata";
}
