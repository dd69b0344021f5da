/**
 * Watch admission slots (src/apiserver/watch-admission.ts): a slot gives its watch back once, however
 * often it is released (a watch can end by its body, the client and the server at the same time).
 */
import { expect, test } from "bun:test";
import { createWatchAdmission } from "../../src/apiserver/watch-admission.ts";

test("a slot released twice gives back one watch, for the server and for its client", () => {
  const a = createWatchAdmission({ maxWatches: 3, maxWatchesPerClient: 2 });
  const first = a.admit("10.0.0.1");
  a.admit("10.0.0.1");
  a.admit("10.0.0.2");
  expect(a.open).toBe(3);
  first.release();
  first.release();
  expect(a.open).toBe(2);
  // the client still holds one: one more fits under its limit of 2, a second does not
  a.admit("10.0.0.1");
  expect(() => a.admit("10.0.0.1")).toThrow();
  expect(a.rejected).toBe(1);
});
