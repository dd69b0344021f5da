/** send_initial_events with a resource_version: current objects, the end-of-initial-events BOOKMARK, then live. */
import { describe, expect, test } from "bun:test";
import { Code, ConnectError } from "@connectrpc/connect";
import { createObj, listKind, relabel, updateObj } from "../helpers/rpc-helpers.ts";
import { sample } from "../helpers/fixtures.ts";
import { backendPerTest, kind, seedFixtures, watchFrom } from "./rpc-kit.ts";

const start = backendPerTest();
const Service = kind("Service");

describe("send_initial_events", () => {
  test("with a resource_version, the current objects come first as ADDED, then one initial-events-end BOOKMARK, then live changes", async () => {
    const { b, client } = await start();
    const objs = await seedFixtures(client);
    const list = await listKind(client, Service);
    // changes after the list: the initial events reflect the current state, not the list's
    const worker = await updateObj(client, relabel(objs.find((o) => o.metadata.name === "worker")!, "after-list"));
    const w = watchFrom(client, Service, list.resourceVersion, { sendInitialEvents: true });
    const marker = await w.until((es) => es.some((e) => e.initialEventsEnd)).then((es) => es.findIndex((e) => e.initialEventsEnd));
    const initial = w.events.slice(0, marker);
    expect(initial.every((e) => e.type === "ADDED")).toBe(true);
    expect(initial.map((e) => e.name).sort()).toEqual(["backend", "billing", "frontend", "worker"]);
    expect(initial.find((e) => e.name === "worker")!.object!.metadata.labels).toEqual({ rev: "after-list" });
    expect(initial.find((e) => e.name === "worker")!.rv).toBe(Number(worker.metadata.resourceVersion));
    expect(w.events[marker]!.type).toBe("BOOKMARK");
    expect(w.events[marker]!.rv).toBe(b.engine.currentRv);

    const live = await createObj(client, sample("Service", 1).object);
    await w.until((es) => es.some((e) => e.name === live.metadata.name));
    expect(w.events.slice(marker + 1).map((e) => [e.type, e.name, e.rv])).toEqual([["ADDED", "svc-1", Number(live.metadata.resourceVersion)]]);
    w.stop();
  });

  test("without send_initial_events, a resource_version gives only later changes and no marker", async () => {
    const { b, client } = await start();
    await seedFixtures(client);
    const w = watchFrom(client, Service, b.engine.currentRv, {}, true);
    const live = await createObj(client, sample("Service", 2).object);
    await w.until((es) => es.some((e) => e.name === live.metadata.name));
    expect(w.events.map((e) => [e.type, e.name])).toEqual([["ADDED", "svc-2"]]);
    w.stop();
  });

  test("with resource_version 0 (or unset) the initial events are always sent", async () => {
    const { client } = await start();
    await seedFixtures(client);
    for (const rv of ["0", ""]) {
      const w = watchFrom(client, kind("ServiceAlias"), rv, { sendInitialEvents: false });
      await w.until((es) => es.some((e) => e.initialEventsEnd));
      expect(w.events.map((e) => [e.type, e.name])).toEqual([
        ["ADDED", "frontend-alias"],
        ["BOOKMARK", ""],
      ]);
      w.stop();
    }
  });

  test("with a resource_version newer than the store, the watch ends with OutOfRange", async () => {
    const { b, client } = await start();
    await seedFixtures(client);
    const w = watchFrom(client, Service, b.engine.currentRv + 10, { sendInitialEvents: true });
    await w.finished();
    expect(ConnectError.from(w.error).code).toBe(Code.OutOfRange);
  });
});
