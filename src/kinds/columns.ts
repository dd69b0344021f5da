/**
 * Building blocks for kind descriptors' table columns (`kubectl get`): the Ready column every
 * kind with conditions shows, a column printing a reference's name, and one printing a spec value.
 */
import type { ColumnSpec } from "./kind-descriptor.ts";

const readPath = (o: Record<string, unknown>, dotted: string): unknown => {
  let cur: unknown = o;
  for (const s of dotted.split(".")) cur = cur && typeof cur === "object" ? (cur as Record<string, unknown>)[s] : undefined;
  return cur;
};

/** A cell printing the string at a dotted path, "unknown" when it is missing. */
const refName = (path: string) => (o: Record<string, unknown>): string => {
  const v = readPath(o, path);
  return typeof v === "string" && v ? v : "unknown";
};

/** A cell printing `spec.<key>` when it is a string or a boolean, `fallback` otherwise. */
export const specValue = (key: string, fallback: string | boolean) => (o: Record<string, unknown>) => {
  const v = (o.spec as Record<string, unknown> | undefined)?.[key];
  return (typeof v === "string" || typeof v === "boolean" ? v : fallback) as string | boolean;
};

const readyCell = (o: Record<string, unknown>): string => {
  const conds = (o.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions;
  return conds?.find((c) => c.type === "Ready")?.status ?? "";
};

/** Status of the Ready condition (-o wide). */
export const readyColumn: ColumnSpec = {
  name: "Ready",
  type: "string",
  priority: 1,
  description: "Status of the Ready condition",
  cell: readyCell,
};

/** A column printing the string at `path` (a reference's name or namespace). */
export const refColumn = (name: string, path: string, description: string, priority: 0 | 1 = 0): ColumnSpec => ({
  name,
  type: "string",
  priority,
  description,
  cell: refName(path),
});

/** A column printing `spec.<key>`. */
export const specColumn = (name: string, key: string, type: "string" | "boolean", fallback: string | boolean, priority: 0 | 1 = 0): ColumnSpec => ({
  name,
  type,
  priority,
  description: `spec.${key}`,
  cell: specValue(key, fallback),
});
