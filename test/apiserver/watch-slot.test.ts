/**
 * Watch admission slots (src/apiserver/watch-admission.ts): a slot gives its watch back once, however
 * often it is released (a watch can end by its body, the client and the server at the same time); a
 * slot offered to a request's watch is claimed once by its watcher, whose body is then not wrapped.
 */
import { expect, test } from "bun:test";
import { claimWatchSlot, createWatchAdmission } from "../../src/apiserver/watch-admission.ts";

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

test("a slot offered to a request's watch is claimed once, and a claimed slot's response is not wrapped", async () => {
  const a = createWatchAdmission({ maxWatches: 3, maxWatchesPerClient: 3 });
  const req = new Request("http://x/apis/netguard.sgroups.io/v1beta1/services?watch=true");
  const slot = a.admit("10.0.0.1", req);
  const claimed = claimWatchSlot(req);
  expect(claimed).toBe(slot);
  expect(claimWatchSlot(req)).toBeUndefined();
  const res = new Response(new ReadableStream({ start: (c) => c.close() }));
  expect(a.hold(res, slot, req.signal)).toBe(res);
  claimed!.release();
  expect(a.open).toBe(0);

  // Not claimed (no watcher took it): the body is wrapped and gives the slot back when it ends.
  const other = a.admit("10.0.0.1", new Request("http://x/"));
  const held = a.hold(new Response("done"), other, new AbortController().signal);
  expect(a.open).toBe(1);
  expect(await held.text()).toBe("done");
  expect(a.open).toBe(0);
});
