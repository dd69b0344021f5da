/**
 * deploy/monitoring/netguard-alerts.rules.yaml: promtool accepts it, its unit tests pass and cover
 * every alert firing and staying silent, every alert says what to do, and every metric it names is
 * served by a real backend or API server.
 */
import { beforeAll, describe, expect, test } from "bun:test";
import { ensurePromtool } from "../helpers/promtool.ts";
import { TOOL_FETCH_TIMEOUT_MS } from "../helpers/test-tools.ts";
import { PROMETHEUS_SYNTHETIC, scrapeBothServers, type LiveNames } from "./live-scrape.ts";
import { promtool, readYaml, RULES_FILE, RULES_TEST_FILE, type RuleFile } from "./monitoring-files.ts";
import { metricRefs } from "./promql-names.ts";

interface RuleTests {
  rule_files: string[];
  tests: { name?: string; alert_rule_test?: { alertname: string; eval_time: string; exp_alerts?: unknown[] }[] }[];
}

let live: LiveNames;
beforeAll(() => void ensurePromtool(), TOOL_FETCH_TIMEOUT_MS);
beforeAll(async () => {
  live = await scrapeBothServers();
});

const rules = readYaml<RuleFile>(RULES_FILE);
const alerts = rules.groups.flatMap((g) => g.rules).filter((r) => r.alert);

describe("alert rules", () => {
  test("promtool check rules accepts the file", () => {
    const r = promtool(["check", "rules", RULES_FILE]);
    expect(r.output).toContain(`SUCCESS: ${alerts.length} rules found`);
    expect(r.code).toBe(0);
  });

  test("promtool test rules passes", () => {
    const r = promtool(["test", "rules", RULES_TEST_FILE]);
    if (r.code !== 0) throw new Error(r.output);
    expect(r.output).toContain("SUCCESS");
  });

  test("each alert has a unit test where it fires and one where it stays silent", () => {
    const t = readYaml<RuleTests>(RULES_TEST_FILE);
    expect(t.rule_files).toEqual(["netguard-alerts.rules.yaml"]);
    const cases = t.tests.flatMap((c) => c.alert_rule_test ?? []);
    const missing: string[] = [];
    for (const a of alerts) {
      const mine = cases.filter((c) => c.alertname === a.alert);
      if (!mine.some((c) => (c.exp_alerts ?? []).length > 0)) missing.push(`${a.alert}: no firing case`);
      if (!mine.some((c) => (c.exp_alerts ?? []).length === 0)) missing.push(`${a.alert}: no silent case`);
    }
    expect(missing).toEqual([]);
  });

  test("each alert has a severity, a for duration, a summary, a description and a runbook hint", () => {
    expect(alerts.length).toBeGreaterThanOrEqual(6);
    expect(new Set(alerts.map((a) => a.alert)).size).toBe(alerts.length);
    for (const a of alerts) {
      expect([a.alert, a.labels?.severity]).toEqual([a.alert, expect.stringMatching(/^(warning|critical)$/)]);
      expect([a.alert, a.for]).toEqual([a.alert, expect.stringMatching(/^\d+[smh]$/)]);
      for (const k of ["summary", "description", "runbook"]) expect([a.alert, k, (a.annotations?.[k] ?? "").length > 20]).toEqual([a.alert, k, true]);
    }
  });

  test("every metric an alert names is served by the backend or the API server", () => {
    const known = new Set([...live.apiserver, ...live.backend, ...PROMETHEUS_SYNTHETIC]);
    expect(live.apiserver.has("watch_event_latency_seconds_bucket")).toBe(true);
    expect(live.backend.has("netguard_event_log_floor_resource_version")).toBe(true);
    const unknown: string[] = [];
    for (const a of alerts) {
      const refs = metricRefs(a.expr);
      if (refs.length === 0) unknown.push(`${a.alert}: names no metric`);
      for (const r of refs) if (!known.has(r.name)) unknown.push(`${a.alert}: ${r.name}`);
    }
    expect(unknown).toEqual([]);
  });
});
