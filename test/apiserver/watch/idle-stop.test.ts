/**
 * A kind's source starts lazily with its first watch client and stops after idleStopMs without
 * any; the next client restarts it (the upstream poller's defect was a stopped poller that never
 * polled again). The restart re-syncs the cache, so new clients start from the current state and
 * clients resuming from before the stop still see every difference.
 */
import { expect, test } from "bun:test";
import { createBackendClient } from "../../../src/apiserver/backend-client.ts";
import { kindByName } from "../../../src/kinds/kind-table.ts";
import { clientFor } from "../../helpers/backend-harness.ts";
import { listKind, relabel, updateObj } from "../../helpers/rpc-helpers.ts";
import { about, backend, deleteSample, eventually, hub, makeSample, MODES, nameOf, openWatch, params, rv, rvOf, sleepMs, useCleanup } from "./watch-kit.ts";

useCleanup();

test.each(MODES.map((m) => [m]))("%s mode: the source starts with the first client, stops when idle and restarts lazily", async (mode) => {
  const b = await backend();
  const client = clientFor(b.url);
  const kind = kindByName("ServiceAlias")!;
  const h = hub(createBackendClient(b.url), mode, { idleStopMs: 200 });
  expect(h.sourceModes()[kind.kind]).toBe("idle");
  const a = await makeSample(client, kind, 1);
  const c = await makeSample(client, kind, 2);
  await sleepMs(100);
  expect(h.stats()[kind.kind]).toBeUndefined(); // nothing started before the first watch

  const w1 = openWatch(h, params(kind, { resourceVersion: "0" }));
  await w1.until((es) => about(es, a.metadata.name, c.metadata.name).length === 2, 8000, "a and c");
  expect(h.sourceModes()[kind.kind]).toBe(mode === "polling" ? "polling" : "streaming");
  const lastSeen = Math.max(...w1.events.map(rvOf));
  w1.stop();
  await eventually(() => h.stats()[kind.kind]!.activeWatchers === 0, 8000, "the watcher gone"); // a bound for a loaded machine, not a speed claim
  await eventually(() => h.sourceModes()[kind.kind] === "idle", 3000, "idle");
  await eventually(() => (b.activeWatches.get(kind.kind) ?? 0) === 0, 3000, "no backend stream");
  const listsWhenIdle = h.stats()[kind.kind]!.listCalls;
  const watchesWhenIdle = h.stats()[kind.kind]!.upstreamWatchCalls;

  // changes while nobody watches
  const gone = await deleteSample(client, kind, a);
  const c2 = await updateObj(client, relabel(c, "idle"));
  const d = await makeSample(client, kind, 3);
  await sleepMs(400);
  expect(h.stats()[kind.kind]!.listCalls).toBe(listsWhenIdle);

  // a new "0" client restarts the source and starts from the current state
  const current = (await listKind(client, kind)).items;
  const w2 = openWatch(h, params(kind, { resourceVersion: "0" }));
  await w2.until((es) => es.length >= current.length, 8000, "the current state");
  await sleepMs(100);
  expect(w2.events.map((e) => [e.type, nameOf(e), rvOf(e)]).sort()).toEqual(current.map((o) => ["ADDED", o.metadata.name, rv(o)]).sort());
  expect(h.sourceModes()[kind.kind]).toBe(mode === "polling" ? "polling" : "streaming");
  if (mode === "polling") expect(h.stats()[kind.kind]!.listCalls).toBeGreaterThan(listsWhenIdle);
  else expect(h.stats()[kind.kind]!.upstreamWatchCalls).toBeGreaterThan(watchesWhenIdle);

  // a client resuming from before the stop sees the differences
  const w3 = openWatch(h, params(kind, { resourceVersion: String(lastSeen) }));
  await w3.until((es) => about(es, a.metadata.name, c.metadata.name, d.metadata.name).length === 3, 8000, "the differences");
  expect(about(w3.events, a.metadata.name).map((e) => e.type)).toEqual(["DELETED"]);
  expect(rvOf(about(w3.events, a.metadata.name)[0]!)).toBeGreaterThanOrEqual(rv(gone));
  expect(about(w3.events, c.metadata.name).map((e) => [e.type, rvOf(e)])).toEqual([["MODIFIED", rv(c2)]]);
  expect(about(w3.events, d.metadata.name).map((e) => [e.type, rvOf(e)])).toEqual([["ADDED", rv(d)]]);

  // and live changes flow again
  const e = await makeSample(client, kind, 4);
  for (const w of [w2, w3]) await w.until((es) => about(es, e.metadata.name).length === 1, 8000, "live e");
});
