/**
 * The bounded wait for a resourceVersion: it ends at its deadline even when the source of the
 * current position (a backend call) never answers, so a stopped backend cannot hang a request.
 */
import { describe, expect, test } from "bun:test";
import { waitForResourceVersion } from "../../src/apiserver/resource-version-wait.ts";

describe("waitForResourceVersion", () => {
  test("gives up at the deadline when the current position never arrives", async () => {
    const never = new Promise<number>(() => {});
    const r = await Promise.race([
      waitForResourceVersion({ target: 10, current: () => never, waitMs: 50 }),
      new Promise<"hung">((resolve) => setTimeout(() => resolve("hung"), 2000)),
    ]);
    expect(r).toEqual({ reached: false, current: 0 });
  });

  test("reports the last position seen when the target is not reached", async () => {
    let n = 3;
    const r = await waitForResourceVersion({ target: 100, current: () => n++, waitMs: 60 });
    expect(r.reached).toBe(false);
    expect(r.current).toBeGreaterThanOrEqual(3);
  });

  test("returns as soon as the target is reached", async () => {
    let n = 0;
    const r = await waitForResourceVersion({ target: 2, current: async () => ++n, waitMs: 2000 });
    expect(r).toEqual({ reached: true, current: 2 });
  });
});
