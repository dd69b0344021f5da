/** Paths of deploy/monitoring's files and runners for promtool on them. */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { ensurePromtool } from "../helpers/promtool.ts";

export const MONITORING_DIR = join(import.meta.dir, "..", "..", "deploy", "monitoring");
export const RULES_FILE = join(MONITORING_DIR, "netguard-alerts.rules.yaml");
export const RULES_TEST_FILE = join(MONITORING_DIR, "netguard-alerts.test.yaml");
export const DASHBOARD_FILE = join(MONITORING_DIR, "netguard-dashboard.json");

export interface AlertRule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface RuleFile {
  groups: { name: string; rules: AlertRule[] }[];
}

export function readYaml<T>(file: string): T {
  return parse(readFileSync(file, "utf8")) as T;
}

/** Runs promtool with `args` in deploy/monitoring (rule_files paths are relative to it). */
export function promtool(args: string[], cwd = MONITORING_DIR): { code: number; output: string } {
  const r = spawnSync(ensurePromtool(), args, { cwd, encoding: "utf8", timeout: 60_000 });
  return { code: r.status ?? -1, output: `${r.stdout ?? ""}${r.stderr ?? ""}${r.error ? String(r.error) : ""}` };
}
