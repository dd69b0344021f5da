/**
 * deploy/monitoring/netguard-dashboard.json: valid JSON in Grafana's dashboard shape, a datasource
 * variable every query uses, PromQL that promtool parses, and only metrics that a real backend or
 * API server serves — each from the process its job variable selects.
 */
import { beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { ensurePromtool } from "../helpers/promtool.ts";
import { TOOL_FETCH_TIMEOUT_MS } from "../helpers/test-tools.ts";
import { PROMETHEUS_SYNTHETIC, scrapeBothServers, type LiveNames } from "./live-scrape.ts";
import { DASHBOARD_FILE, promtool } from "./monitoring-files.ts";
import { metricRefs, withoutGrafanaIntervals } from "./promql-names.ts";

interface Target {
  refId: string;
  expr: string;
  datasource?: { uid?: string };
}
interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { h: number; w: number; x: number; y: number };
  datasource?: { type?: string; uid?: string };
  targets?: Target[];
}
interface Dashboard {
  title: string;
  uid: string;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: { name: string; type: string; query: unknown }[] };
}

let live: LiveNames;
beforeAll(() => void ensurePromtool(), TOOL_FETCH_TIMEOUT_MS);
beforeAll(async () => {
  live = await scrapeBothServers();
});

const dash = JSON.parse(readFileSync(DASHBOARD_FILE, "utf8")) as Dashboard;
const graphs = dash.panels.filter((p) => p.type !== "row");
const queries = graphs.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));
/** Query variables' `label_values(metric, label)` are queries too. */
const variableMetrics = dash.templating.list.flatMap((v) => {
  const q = typeof v.query === "string" ? v.query : (v.query as { query?: string } | undefined)?.query;
  const m = q ? /^label_values\(\s*([a-zA-Z_:][\w:]*)\s*,/.exec(q) : null;
  return m ? [{ variable: v.name, metric: m[1]! }] : [];
});

describe("Grafana dashboard", () => {
  test("has the dashboard shape: title, uid, schemaVersion, panels with unique ids and grid positions", () => {
    expect(dash.title).toBeTruthy();
    expect(dash.uid).toMatch(/^[a-zA-Z0-9_-]{1,40}$/);
    expect(dash.schemaVersion).toBeGreaterThanOrEqual(30);
    const ids = dash.panels.map((p) => p.id);
    expect(ids.every((id) => Number.isInteger(id) && id > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    const cells = new Set<string>();
    for (const p of dash.panels) {
      const g = p.gridPos;
      expect([p.title, g.x >= 0 && g.y >= 0 && g.w > 0 && g.h > 0 && g.x + g.w <= 24]).toEqual([p.title, true]);
      for (let x = g.x; x < g.x + g.w; x++) {
        for (let y = g.y; y < g.y + g.h; y++) {
          const c = `${x},${y}`;
          expect([p.title, "overlaps at", c, cells.has(c)]).toEqual([p.title, "overlaps at", c, false]);
          cells.add(c);
        }
      }
    }
  });

  test("every panel queries the datasource variable, with unique refIds", () => {
    const ds = dash.templating.list.find((v) => v.type === "datasource");
    expect(ds?.query).toBe("prometheus");
    expect(graphs.length).toBeGreaterThanOrEqual(10);
    for (const p of graphs) {
      expect([p.title, p.datasource?.uid]).toEqual([p.title, `\${${ds!.name}}`]);
      const targets = p.targets ?? [];
      expect([p.title, targets.length > 0]).toEqual([p.title, true]);
      expect([p.title, new Set(targets.map((t) => t.refId)).size]).toEqual([p.title, targets.length]);
      for (const t of targets) expect([p.title, t.expr.trim().length > 0]).toEqual([p.title, true]);
    }
  });

  test("covers the watch metrics the issue asks for", () => {
    const used = new Set(queries.flatMap((q) => metricRefs(q.expr).map((r) => r.name)));
    for (const m of [
      "watch_event_latency_seconds_bucket",
      "netguard_apiserver_watch_events_delivered_total",
      "watch_streams_active_total",
      "netguard_apiserver_watch_clients",
      "watch_stream_reconnects_total",
      "netguard_apiserver_watch_source_mode",
      "netguard_apiserver_watch_lapped_cursors_total",
      "netguard_event_store_expired_cursors_total",
      "netguard_backend_rpc_requests_total",
      "netguard_event_log_events",
      "netguard_event_log_floor_resource_version",
    ]) {
      expect([m, used.has(m)]).toEqual([m, true]);
    }
  });

  test("promtool parses every query", () => {
    const dir = mkdtempSync(join(tmpdir(), "netguard-dashboard-"));
    try {
      // Each query as a recording rule: `promtool check rules` then parses it as Prometheus would.
      const rules = queries.map((q, i) => ({ record: `dashboard:query_${i}`, expr: withoutGrafanaIntervals(q.expr).replace(/\$\{?\w+\}?/g, "x") }));
      writeFileSync(join(dir, "queries.yaml"), stringify({ groups: [{ name: "dashboard", rules }] }));
      const r = promtool(["check", "rules", "queries.yaml"], dir);
      if (r.code !== 0) throw new Error(r.output);
      expect(r.output).toContain(`SUCCESS: ${queries.length} rules found`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("every metric a query or variable names is served by the process its job variable selects", () => {
    expect(live.apiserver.has("netguard_apiserver_watch_source_mode")).toBe(true);
    const serving = (job: string | undefined) =>
      job === "$apiserver_job" ? live.apiserver : job === "$backend_job" ? live.backend : new Set([...live.apiserver, ...live.backend, ...PROMETHEUS_SYNTHETIC]);
    const unknown: string[] = [];
    for (const q of queries) {
      const refs = metricRefs(q.expr);
      if (refs.length === 0) unknown.push(`${q.panel}: names no metric`);
      for (const r of refs) if (!serving(r.job).has(r.name)) unknown.push(`${q.panel}: ${r.name}${r.job ? ` (job ${r.job})` : ""}`);
    }
    for (const v of variableMetrics) {
      const names = v.variable === "backend_job" ? live.backend : v.variable === "apiserver_job" ? live.apiserver : new Set([...live.apiserver, ...live.backend]);
      if (!names.has(v.metric)) unknown.push(`variable ${v.variable}: ${v.metric}`);
    }
    expect(variableMetrics.length).toBe(3);
    expect(unknown).toEqual([]);
  });
});
