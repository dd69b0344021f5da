/** The metric-name extraction the alert and dashboard checks rely on. */
import { describe, expect, test } from "bun:test";
import { exposedNames, metricRefs } from "./promql-names.ts";

const names = (e: string) => metricRefs(e).map((r) => r.name);

describe("metricRefs", () => {
  test("finds selectors, bare names and __name__ matchers; skips functions, keywords, labels, strings and durations", () => {
    const e = `histogram_quantile(0.99, sum by (job, le) (rate(a_seconds_bucket{job=~"$x",code=~"5.."}[$__rate_interval])))
      / on (job) group_left (instance) b_total > bool 1e-3 and ignoring (mode) c offset 5m or {__name__="d", job="j"}
      unless label_replace(e_total, "dst", "$1", "src", "(.*)")`;
    expect(names(e).sort()).toEqual(["a_seconds_bucket", "b_total", "c", "d", "e_total"]);
  });

  test("keeps the job matcher of a selector", () => {
    expect(metricRefs(`sum(x{job=~"$backend_job"}) + y{a="}"}`)).toEqual([
      { name: "x", job: "$backend_job" },
      { name: "y", job: undefined },
    ]);
  });
});

describe("exposedNames", () => {
  test("lists families, histogram series and sample names", () => {
    const text = "# HELP h x\n# TYPE h histogram\nh_bucket{le=\"1\"} 0\n# TYPE g gauge\ng 1\nloose 2\n";
    expect([...exposedNames(text)].sort()).toEqual(["g", "h", "h_bucket", "h_count", "h_sum", "loose"]);
  });
});
