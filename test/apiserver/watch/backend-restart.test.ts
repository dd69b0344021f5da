/**
 * The backend restarts mid-watch (same port, same SQLite file): watch clients of every kind keep
 * their streams and see every change — before, during the restart and after it — exactly once and
 * in resourceVersion order, whatever the source mode.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { createBackendClient } from "../../../src/apiserver/backend-client.ts";
import { KINDS } from "../../../src/kinds/kind-table.ts";
import { clientFor, sqlitePersistence, tempDir } from "../../helpers/backend-harness.ts";
import { relabel, updateObj } from "../../helpers/rpc-helpers.ts";
import { about, backend, eventually, hub, makeSample, MODES, nameOf, openWatch, params, rv, rvOf, useCleanup } from "./watch-kit.ts";

useCleanup();

describe("backend restart", () => {
  const dir = tempDir();
  afterAll(() => dir.cleanup());

  test.each(MODES.map((m) => [m]))("%s mode: every kind's watcher sees each change exactly once across a backend restart", async (mode) => {
    const file = `${dir.path}/restart-${mode}.db`;
    const b1 = await backend({ persistence: await sqlitePersistence(file) }, false);
    const port = b1.server.port;
    const c1 = clientFor(b1.url);
    const h = hub(createBackendClient(b1.url), mode);
    const watches = KINDS.map((kind) => ({ kind, w: openWatch(h, params(kind, { resourceVersion: "0" })) }));
    const first = new Map<string, Awaited<ReturnType<typeof makeSample>>>();
    for (const kind of KINDS) first.set(kind.kind, await makeSample(c1, kind, 1));
    for (const { kind, w } of watches) await w.until((es) => about(es, first.get(kind.kind)!.metadata.name).length === 1, 8000, `${kind.kind} 1`);

    await b1.close();
    const b2 = await backend({ port, persistence: await sqlitePersistence(file) });
    expect(b2.url).toBe(b1.url);
    const c2 = clientFor(b2.url);
    const second = new Map<string, Awaited<ReturnType<typeof makeSample>>>();
    const updated = new Map<string, Awaited<ReturnType<typeof makeSample>>>();
    for (const kind of KINDS) {
      second.set(kind.kind, await makeSample(c2, kind, 2));
      updated.set(kind.kind, await updateObj(c2, relabel(first.get(kind.kind)!, "after-restart")));
    }
    for (const { kind, w } of watches) {
      const one = first.get(kind.kind)!;
      const two = second.get(kind.kind)!;
      await w.until((es) => about(es, one.metadata.name).length === 2 && about(es, two.metadata.name).length === 1, 15000, `${kind.kind} after restart`);
    }
    const third = new Map<string, Awaited<ReturnType<typeof makeSample>>>();
    for (const kind of KINDS) third.set(kind.kind, await makeSample(c2, kind, 3));
    for (const { kind, w } of watches) {
      const three = third.get(kind.kind)!;
      await w.until((es) => about(es, three.metadata.name).length === 1, 15000, `${kind.kind} 3`);
    }
    await Bun.sleep(300); // let any duplicate arrive before judging

    for (const { kind, w } of watches) {
      const one = first.get(kind.kind)!;
      expect(w.done).toBe(false);
      expect(about(w.events, one.metadata.name).map((e) => [e.type, rvOf(e)])).toEqual([
        ["ADDED", rv(one)],
        ["MODIFIED", rv(updated.get(kind.kind)!)],
      ]);
      expect(about(w.events, second.get(kind.kind)!.metadata.name).map((e) => [e.type, rvOf(e)])).toEqual([["ADDED", rv(second.get(kind.kind)!)]]);
      expect(about(w.events, third.get(kind.kind)!.metadata.name).map((e) => [e.type, rvOf(e)])).toEqual([["ADDED", rv(third.get(kind.kind)!)]]);
      const keys = w.events.map((e) => `${e.type}/${nameOf(e)}/${rvOf(e)}`);
      expect(new Set(keys).size).toBe(keys.length);
      const rvs = w.events.map(rvOf);
      expect([...rvs].sort((x, y) => x - y)).toEqual(rvs);
    }
    if (mode !== "polling") {
      expect(Object.values(h.stats()).every((s) => s.reconnects > 0)).toBe(true);
      await eventually(() => KINDS.every((k) => h.sourceModes()[k.kind] === "streaming"), 8000, "streaming again");
    }
  });
});
