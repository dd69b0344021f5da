import { describe, expect, test } from "bun:test";
import { cycleOrder, pairedExtras } from "../../bench/system/paired-windows.ts";

describe("paired windows", () => {
  test("a variant's cost is read against the mean of the baselines on both sides, so slow drift cancels", () => {
    // The machine slows down steadily (baseline 1.0 → 1.4); the stream always costs 0.1 more.
    const windows = [
      { variant: "writes", cost: 1.0 },
      { variant: "stream", cost: 1.2 },
      { variant: "writes", cost: 1.2 },
      { variant: "stream", cost: 1.4 },
      { variant: "writes", cost: 1.4 },
    ];
    const [stream] = pairedExtras(windows, "writes");
    expect(stream!.variant).toBe("stream");
    expect(stream!.diffs.map((d) => Number(d.toFixed(6)))).toEqual([0.1, 0.1]);
    expect(stream!.median).toBeCloseTo(0.1, 9);
  });

  test("at the ends of the sequence the one neighbouring baseline is used; none at all leaves the window out", () => {
    const [a, b] = pairedExtras(
      [
        { variant: "a", cost: 3 },
        { variant: "base", cost: 1 },
        { variant: "b", cost: 5 },
      ],
      "base",
    );
    expect(a!.diffs).toEqual([2]);
    expect(b!.diffs).toEqual([4]);
    expect(pairedExtras([{ variant: "a", cost: 3 }], "base")[0]!.diffs).toEqual([]);
  });

  test("median and quartiles summarise the differences", () => {
    const windows = [1, 2, 3, 4, 5].flatMap((d) => [
      { variant: "base", cost: 10 },
      { variant: "v", cost: 10 + d },
    ]);
    windows.push({ variant: "base", cost: 10 });
    const [v] = pairedExtras(windows, "base");
    expect(v!.median).toBe(3);
    expect(v!.q1).toBe(2);
    expect(v!.q3).toBe(4);
  });

  test("each cycle puts the baseline before every variant and rotates the variants", () => {
    expect(cycleOrder("w", ["a", "b", "c"], 0)).toEqual(["w", "a", "w", "b", "w", "c"]);
    expect(cycleOrder("w", ["a", "b", "c"], 1)).toEqual(["w", "b", "w", "c", "w", "a"]);
  });
});
