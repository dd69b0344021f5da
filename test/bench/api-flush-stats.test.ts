import { describe, expect, test } from "bun:test";
import { flushStatsBetween, parseFlushTotals } from "../../bench/system/api-flush-stats.ts";

const scrape = (count: number, sum: number) =>
  [
    "# TYPE netguard_apiserver_watch_flush_duration_seconds histogram",
    'netguard_apiserver_watch_flush_duration_seconds_bucket{resource_type="services",le="0.01"} 3',
    `netguard_apiserver_watch_flush_duration_seconds_sum{resource_type="services"} ${sum}`,
    `netguard_apiserver_watch_flush_duration_seconds_count{resource_type="services"} ${count}`,
    'netguard_apiserver_watch_flush_duration_seconds_count{resource_type="networks"} 99',
  ].join("\n");

describe("the benchmark's reading of the API server's flush metric", () => {
  test("takes the count and sum of the asked kind only", () => {
    expect(parseFlushTotals(scrape(7, 0.021), "services")).toEqual({ count: 7, sumSeconds: 0.021 });
    expect(parseFlushTotals(scrape(7, 0.021), "addressgroups").count).toBeNaN();
  });

  test("derives flushes per second, mean duration and events per flush from two readings", () => {
    const s = flushStatsBetween({ count: 10, sumSeconds: 0.05 }, { count: 410, sumSeconds: 3.25 }, 10, 1000);
    expect(s.flushes).toBe(400);
    expect(s.perSecond).toBe(40);
    expect(s.meanMs).toBeCloseTo(8, 9);
    expect(s.eventsPerFlush).toBe(2.5);
  });

  test("a window without flushes has no mean", () => {
    const s = flushStatsBetween({ count: 5, sumSeconds: 1 }, { count: 5, sumSeconds: 1 }, 10, 0);
    expect(s.flushes).toBe(0);
    expect(s.meanMs).toBeNaN();
  });
});
