import { beforeAll, describe, expect, test } from "bun:test";
import { createRegistry, escapeHelp, escapeLabelValue } from "../../src/metrics/registry.ts";
import { ensurePromtool, promtoolCheck, unexpectedLint } from "../helpers/promtool.ts";
import { TOOL_FETCH_TIMEOUT_MS } from "../helpers/test-tools.ts";

beforeAll(() => void ensurePromtool(), TOOL_FETCH_TIMEOUT_MS);

describe("Prometheus text exposition", () => {
  test("escapes label values and help text", () => {
    expect(escapeLabelValue('a"b\\c\nd')).toBe('a\\"b\\\\c\\nd');
    expect(escapeHelp("line\\one\nline two")).toBe("line\\\\one\\nline two");
  });

  test("renders counters, gauges and cumulative histograms that promtool accepts", () => {
    const r = createRegistry();
    r.counter("demo_requests_total", "Requests\nby code", ["code"]).labels('we"ird\\').inc(2);
    r.gauge("demo_in_flight", "In flight").labels().set(3);
    const h = r.histogram("demo_latency_seconds", "Latency", ["op"], [0.1, 1]).labels("get");
    for (const v of [0.05, 0.5, 5]) h.observe(v);
    const text = r.render();
    expect(text).toContain('demo_requests_total{code="we\\"ird\\\\"} 2');
    expect(text).toContain("# HELP demo_requests_total Requests\\nby code");
    expect(text).toContain('demo_latency_seconds_bucket{op="get",le="0.1"} 1');
    expect(text).toContain('demo_latency_seconds_bucket{op="get",le="1"} 2');
    expect(text).toContain('demo_latency_seconds_bucket{op="get",le="+Inf"} 3');
    expect(text).toContain('demo_latency_seconds_sum{op="get"} 5.55');
    expect(text).toContain('demo_latency_seconds_count{op="get"} 3');
    const res = promtoolCheck(text);
    expect(res.code).toBe(0);
    expect(unexpectedLint(res.output)).toEqual([]);
  });

  test("refuses bad names, duplicate registration and decreasing counters", () => {
    const r = createRegistry();
    expect(() => r.counter("bad-name", "x")).toThrow();
    r.counter("ok_total", "x");
    expect(() => r.counter("ok_total", "x")).toThrow();
    expect(() => r.counter("c_total", "x").labels().inc(-1)).toThrow();
  });
});
