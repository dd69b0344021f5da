/**
 * A client that stops reading never stalls the source or the other clients, and never silently
 * misses events: once the ring laps its cursor it gets one 410 Expired ERROR and its stream ends.
 */
import { expect, test } from "bun:test";
import { createBackendClient } from "../../../src/apiserver/backend-client.ts";
import { kindByName } from "../../../src/kinds/kind-table.ts";
import { clientFor } from "../../helpers/backend-harness.ts";
import { about, backend, hub, makeSample, MODES, openWatch, params, rvOf, useCleanup } from "./watch-kit.ts";

useCleanup();

test.each(MODES.map((m) => [m]))("%s mode: a slow client lapped by the ring gets exactly one 410 ERROR, the others keep every event", async (mode) => {
  const b = await backend();
  const client = clientFor(b.url);
  const kind = kindByName("Service")!;
  const h = hub(createBackendClient(b.url), mode, { cacheCapacity: 8, pollingIntervalMs: 100 });
  const fast = openWatch(h, params(kind, { resourceVersion: "0" }));
  const slowTable = openWatch(h, params(kind, { resourceVersion: "0", format: "table" }), { paused: true });
  const slowJson = openWatch(h, params(kind, { resourceVersion: "0", labelSelector: "!nothing" }), { paused: true });
  const made: string[] = [];
  for (let i = 0; i < 20; i++) {
    made.push((await makeSample(client, kind, i)).metadata.name);
    if (mode === "polling") await fast.until((es) => about(es, made.at(-1)!).length === 1, 8000, `svc ${i}`);
  }
  await fast.until((es) => about(es, ...made).length === made.length, 8000, "every change for the fast client");
  expect(fast.events.map((e) => e.type).every((t) => t === "ADDED")).toBe(true);
  const rvs = fast.events.map(rvOf);
  expect([...rvs].sort((x, y) => x - y)).toEqual(rvs);

  for (const slow of [slowTable, slowJson]) {
    slow.resume();
    const events = await slow.finished();
    const last = events.at(-1)!;
    expect(last.type).toBe("ERROR");
    expect(last.object).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: expect.stringMatching(/^too old resource version: \d+ \(\d+\)$/),
      reason: "Expired",
      code: 410,
    });
    expect(events.filter((e) => e.type === "ERROR").length).toBe(1);
  }
  expect(h.stats()[kind.kind]!.lappedCursors).toBe(2);
  expect(h.stats()[kind.kind]!.activeWatchers).toBe(1);

  // the source and the fast client carry on
  const later = await makeSample(client, kind, 99);
  await fast.until((es) => about(es, later.metadata.name).length === 1, 8000, "a later change");
  expect(fast.done).toBe(false);
});
