import { describe, expect, test } from "bun:test";
import { findOverlap, findSelfOverlap, formatRange, parsePortList, rangesOverlap } from "../../src/domain/port-syntax.ts";

describe("port syntax", () => {
  test("parses a single port, a range and a comma list into inclusive ranges", () => {
    expect(parsePortList("80")).toEqual({ ok: true, ranges: [{ start: 80, end: 80 }] });
    expect(parsePortList("8080-9090")).toEqual({ ok: true, ranges: [{ start: 8080, end: 9090 }] });
    expect(parsePortList("80, 443,8000-8010")).toEqual({
      ok: true,
      ranges: [
        { start: 80, end: 80 },
        { start: 443, end: 443 },
        { start: 8000, end: 8010 },
      ],
    });
  });

  test("rejects empty input, empty elements, junk, out-of-range values and reversed ranges", () => {
    for (const bad of ["", " ", ",", "80,", "a", "80-", "1-2-3", "65536", "123456", "10-5"]) {
      expect({ bad, ok: parsePortList(bad).ok }).toEqual({ bad, ok: false });
    }
  });

  test("detects overlap of inclusive ranges, including touching ends", () => {
    expect(rangesOverlap({ start: 80, end: 90 }, { start: 90, end: 100 })).toBe(true);
    expect(rangesOverlap({ start: 80, end: 89 }, { start: 90, end: 100 })).toBe(false);
    expect(findOverlap([{ start: 1, end: 2 }], [{ start: 3, end: 4 }, { start: 2, end: 2 }])).toEqual([
      { start: 1, end: 2 },
      { start: 2, end: 2 },
    ]);
    expect(findSelfOverlap([{ start: 1, end: 5 }, { start: 6, end: 7 }])).toBeUndefined();
    expect(findSelfOverlap([{ start: 1, end: 5 }, { start: 5, end: 7 }])).toBeDefined();
  });

  test("formats single ports without a dash", () => {
    expect(formatRange({ start: 22, end: 22 })).toBe("22");
    expect(formatRange({ start: 22, end: 23 })).toBe("22-23");
  });
});
