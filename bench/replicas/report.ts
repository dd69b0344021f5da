/** The replica benchmark's table: one column per mode, the targets and the 3-to-1 replica ratio. */

export interface ModeResult {
  mode: string;
  storage: "sqlite" | "postgres";
  replicas: number;
  creates_per_s: number;
  batched_objects_per_s: number;
  latency_p50_ms: number;
  latency_p99_ms: number;
  latency_max_ms: number;
  errors: number;
  missing_events: number;
  rounds: Record<string, number[]>;
}

const fmt = (x: number, digits = 0): string =>
  Number.isFinite(x) ? x.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits }) : "-";

/** Renders `header`, then a fixed-width table of the figures. */
export function renderReplicaReport(header: string, results: readonly ModeResult[]): string {
  const pg1 = results.find((r) => r.storage === "postgres" && r.replicas === 1);
  const pg3 = results.find((r) => r.storage === "postgres" && r.replicas === 3);
  const ratio = (f: (r: ModeResult) => number): string => (pg1 && pg3 ? `${(f(pg3) / f(pg1)).toFixed(2)}×` : "-");
  const rows: string[][] = [
    ["", ...results.map((r) => r.mode), "pg ×3 / ×1", "target (pg)"],
    ["single-object Creates/s", ...results.map((r) => fmt(r.creates_per_s)), ratio((r) => r.creates_per_s), "≥ 2,000"],
    ["batched objects/s (Sync 500)", ...results.map((r) => fmt(r.batched_objects_per_s)), ratio((r) => r.batched_objects_per_s), "≥ 20,000"],
    ["A→B event latency p50 (ms)", ...results.map((r) => fmt(r.latency_p50_ms, 2)), ratio((r) => r.latency_p50_ms), ""],
    ["A→B event latency p99 (ms)", ...results.map((r) => fmt(r.latency_p99_ms, 2)), ratio((r) => r.latency_p99_ms), "≤ 20"],
    ["A→B event latency max (ms)", ...results.map((r) => fmt(r.latency_max_ms, 2)), "", ""],
    ["errors / events not received", ...results.map((r) => `${r.errors} / ${r.missing_events}`), "", ""],
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const lines = rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]! + 2))).join(""));
  return `${header}\n${lines.join("\n")}`;
}
