/**
 * The hybrid source manager against real servers: auto mode detects a backend without Watch and
 * polls, returns to streaming when a streaming backend takes over the same port, and falls back to
 * polling when the stream keeps failing; `streaming_enabled: false` forces polling; `streaming`
 * mode never polls.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { createBackendClient } from "../../../src/apiserver/backend-client.ts";
import { KINDS, kindByName } from "../../../src/kinds/kind-table.ts";
import { clientFor, sqlitePersistence, tempDir } from "../../helpers/backend-harness.ts";
import { relabel, updateObj } from "../../helpers/rpc-helpers.ts";
import {
  about,
  backend,
  eventually,
  faultyClient,
  hub,
  makeSample,
  nameOf,
  onCleanup,
  openWatch,
  params,
  rv,
  rvOf,
  sleepMs,
  startNonStreamingBackend,
  useCleanup,
} from "./watch-kit.ts";

useCleanup();

describe("source modes", () => {
  const dir = tempDir();
  afterAll(() => dir.cleanup());

  test("auto mode polls a backend without streaming, then switches back to streaming when it becomes available, without clients noticing", async () => {
    const file = `${dir.path}/auto.db`;
    const plain = await startNonStreamingBackend({ persistence: await sqlitePersistence(file) });
    onCleanup(() => plain.close());
    const c1 = clientFor(plain.url);
    const h = hub(createBackendClient(plain.url), "auto");
    const watches = KINDS.map((kind) => ({ kind, w: openWatch(h, params(kind, { resourceVersion: "0", allowBookmarks: true })) }));
    const one = new Map<string, Awaited<ReturnType<typeof makeSample>>>();
    for (const kind of KINDS) one.set(kind.kind, await makeSample(c1, kind, 1));
    for (const { kind, w } of watches) await w.until((es) => about(es, one.get(kind.kind)!.metadata.name).length === 1, 8000, `${kind.kind} 1`);
    expect(KINDS.every((k) => h.sourceModes()[k.kind] === "polling")).toBe(true);
    expect(plain.refusedWatches).toBeGreaterThanOrEqual(KINDS.length);
    for (const s of Object.values(h.stats())) expect(s.listCalls).toBeGreaterThan(0);

    // the non-streaming backend is replaced on the same port by the real one (same data)
    await plain.close();
    const b = await backend({ port: plain.port, persistence: await sqlitePersistence(file) });
    const c2 = clientFor(b.url);
    await eventually(() => KINDS.every((k) => h.sourceModes()[k.kind] === "streaming"), 10000, "streaming everywhere");
    await eventually(() => KINDS.every((k) => b.activeWatches.get(k.kind) === 1), 5000, "one backend stream per kind");
    const listsWhenStreaming = Object.values(h.stats()).map((s) => s.listCalls);
    const two = new Map<string, Awaited<ReturnType<typeof makeSample>>>();
    const mod = new Map<string, Awaited<ReturnType<typeof makeSample>>>();
    for (const kind of KINDS) {
      two.set(kind.kind, await makeSample(c2, kind, 2));
      mod.set(kind.kind, await updateObj(c2, relabel(one.get(kind.kind)!, "x")));
    }
    for (const { kind, w } of watches) {
      const a = one.get(kind.kind)!;
      const c = two.get(kind.kind)!;
      await w.until((es) => about(es, c.metadata.name).length === 1 && about(es, a.metadata.name).length === 2, 8000, `${kind.kind} 2`);
      expect(about(w.events, a.metadata.name).map((e) => [e.type, rvOf(e)])).toEqual([
        ["ADDED", rv(a)],
        ["MODIFIED", rv(mod.get(kind.kind)!)],
      ]);
      const keys = w.events.filter((e) => e.type !== "BOOKMARK").map((e) => `${e.type}/${nameOf(e)}/${rvOf(e)}`);
      expect(new Set(keys).size).toBe(keys.length);
      const rvs = w.events.filter((e) => e.type !== "BOOKMARK").map(rvOf);
      expect([...rvs].sort((x, y) => x - y)).toEqual(rvs);
      expect(w.done).toBe(false);
    }
    await sleepMs(400);
    // polling stopped once streaming was back
    expect(Object.values(h.stats()).map((s) => s.listCalls)).toEqual(listsWhenStreaming);
    for (const s of Object.values(h.stats())) expect(s.modeSwitches).toBe(2); // streaming → polling (detected) → streaming
  });

  test("auto mode falls back to polling when the stream keeps failing, and returns to streaming when it works again", async () => {
    const b = await backend();
    const client = clientFor(b.url);
    const faulty = faultyClient(b.url);
    const kind = kindByName("AddressGroup")!;
    const h = hub(faulty.client, "auto", { maxStreamFailures: 3 });
    const w = openWatch(h, params(kind, { resourceVersion: "0" }));
    const a = await makeSample(client, kind, 1);
    await w.until((es) => about(es, a.metadata.name).length === 1, 8000, "a");
    expect(h.sourceModes()[kind.kind]).toBe("streaming");

    // streams fail, lists work: after 3 consecutive failures the kind polls
    faulty.failStreams(true);
    faulty.cut();
    await eventually(() => h.sourceModes()[kind.kind] === "polling", 8000, "polling");
    const c = await makeSample(client, kind, 2);
    await w.until((es) => about(es, c.metadata.name).length === 1, 8000, "c while polling");

    faulty.failStreams(false);
    await eventually(() => h.sourceModes()[kind.kind] === "streaming", 8000, "streaming again");
    const d = await makeSample(client, kind, 3);
    await w.until((es) => about(es, d.metadata.name).length === 1, 8000, "d");
    const keys = w.events.map((e) => `${e.type}/${nameOf(e)}/${rvOf(e)}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(h.stats()[kind.kind]!.modeSwitches).toBe(2);
    expect(h.stats()[kind.kind]!.probes).toBeGreaterThan(0);
  });

  test("streaming_enabled: false forces polling, even in auto and streaming mode", async () => {
    const b = await backend();
    const client = clientFor(b.url);
    const kind = kindByName("Service")!;
    for (const mode of ["auto", "streaming"] as const) {
      const h = hub(createBackendClient(b.url), mode, { streamingEnabled: false });
      const w = openWatch(h, params(kind, { resourceVersion: "0" }));
      const a = await makeSample(client, kind, mode === "auto" ? 1 : 2);
      await w.until((es) => about(es, a.metadata.name).length === 1, 8000, "a");
      expect(h.sourceModes()[kind.kind]).toBe("polling");
      expect(b.activeWatches.get(kind.kind) ?? 0).toBe(0);
      expect(h.stats()[kind.kind]!.upstreamWatchCalls).toBe(0);
      await h.close();
    }
  });

  test("streaming mode never polls: against a backend without Watch it keeps retrying the stream", async () => {
    const plain = await startNonStreamingBackend({ persistence: await sqlitePersistence(`${dir.path}/never-polls.db`) });
    onCleanup(() => plain.close());
    const kind = kindByName("Service")!;
    const h = hub(createBackendClient(plain.url), "streaming");
    const w = openWatch(h, params(kind, { resourceVersion: "0" }));
    await eventually(() => h.stats()[kind.kind]!.reconnects >= 3, 8000, "retries");
    expect(h.sourceModes()[kind.kind]).toBe("streaming");
    expect(h.stats()[kind.kind]!.listCalls).toBe(0);
    expect(w.done).toBe(false);
    expect(w.events).toEqual([]);
  });
});
