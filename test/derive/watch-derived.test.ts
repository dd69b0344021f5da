/**
 * Derived changes reach watchers like any other change: each derived object's event has its own
 * resourceVersion, all events of one commit are consecutive versions with one commit time, the
 * cause comes first, and derived objects whose content did not change produce no event.
 */
import { describe, expect, test } from "bun:test";
import type { Backend } from "../../src/backend/backend.ts";
import type { StoredEvent } from "../../src/backend/store/persistence.ts";
import { KINDS } from "../../src/kinds/kind-table.ts";
import { API_VERSION, type KubeObject } from "../../src/kinds/model.ts";
import { createObj, deleteObj, updateObj } from "../helpers/rpc-helpers.ts";
import type { SeenEvent, WatchReader } from "../helpers/watch-reader.ts";
import { backendPerTest, getObj, kind, seedFixtures, watchFrom, type NgClient } from "../rpc/rpc-kit.ts";
import { expectNoDrift } from "./derive-kit.ts";

const start = backendPerTest();
const ref = (k: string, namespace: string, name: string) => ({ apiVersion: API_VERSION, kind: k, name, namespace });

/** Watchers of every kind from the current version. */
function watchAll(b: Backend, client: NgClient): Map<string, WatchReader> {
  return new Map(KINDS.map((k) => [k.kind, watchFrom(client, k, b.engine.currentRv)]));
}

/** Waits until the watchers together hold every version up to `rvEnd`; returns "Kind type name" per version. */
async function commitSeen(watchers: Map<string, WatchReader>, rvStart: number, rvEnd: number): Promise<Map<number, string>> {
  const byRv = new Map<number, string>();
  const deadline = Date.now() + 5000;
  while (byRv.size < rvEnd - rvStart && Date.now() < deadline) {
    byRv.clear();
    for (const [k, w] of watchers) for (const e of w.events) if (e.rv > rvStart && e.rv <= rvEnd) byRv.set(e.rv, `${k} ${e.type} ${e.name}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return byRv;
}

async function commitEvents(b: Backend, rvStart: number): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  for (const k of KINDS) {
    const r = await b.engine.events.read(b.engine.events.cursor(k.kind, rvStart));
    if (r.kind === "events") out.push(...r.events);
  }
  return out.sort((x, y) => x.rv - y.rv);
}

function stopAll(watchers: Map<string, WatchReader>) {
  for (const w of watchers.values()) w.stop();
}

describe("derived changes on the watch streams", () => {
  test("a port change of backend: Service, its port mapping and both generated TCP rules, consecutively in one commit", async () => {
    const { b, client } = await start();
    await seedFixtures(client);
    const rv0 = b.engine.currentRv;
    const watchers = watchAll(b, client);
    const backend = await getObj(client, kind("Service"), "shop", "backend");
    const edit: KubeObject = structuredClone(backend);
    (edit.spec!.ingressPorts as unknown[]).push({ protocol: "TCP", port: "9090" });
    const written = await updateObj(client, edit);
    expect(Number(written.metadata.resourceVersion)).toBe(rv0 + 1);

    const seen = await commitSeen(watchers, rv0, b.engine.currentRv);
    expect([...seen.entries()].sort(([x], [y]) => x - y).map(([, v]) => v)).toEqual([
      "Service MODIFIED backend",
      "AddressGroupPortMapping MODIFIED ag-backend",
      "IEAgAgRule MODIFIED egr-97877b71-97e2-9550-1be1-6cf5b857d9d6",
      "IEAgAgRule MODIFIED ing-8fbe3a69-f284-d187-3317-a365c3ed8e7c",
    ]);
    expect(b.engine.currentRv).toBe(rv0 + 4);
    const stored = await commitEvents(b, rv0);
    expect(new Set(stored.map((e) => e.time)).size).toBe(1);
    // the regenerated rule's event carries the new port list and a bumped generation
    const egr = watchers.get("IEAgAgRule")!.events.find((e) => e.name.startsWith("egr-97877b71"))!;
    expect(egr.object!.spec!.ports).toEqual([{ portRange: { from: 8080, to: 8081 } }, { port: 9090 }]);
    expect(egr.object!.metadata.generation).toBe(2);
    // unchanged derived objects were not rewritten: no RuleS2S, AddressGroup or UDP-rule event
    await new Promise((r) => setTimeout(r, 100));
    for (const k of ["RuleS2S", "AddressGroup", "AddressGroupBinding", "ServiceAlias"]) expect(watchers.get(k)!.events).toEqual([]);
    expect(watchers.get("IEAgAgRule")!.events.length).toBe(2);
    stopAll(watchers);
    expectNoDrift(b);
  });

  test("a binding: the binding first, then its Service's aggregated groups and the group's port mapping", async () => {
    const { b, client } = await start();
    await seedFixtures(client);
    await createObj(client, { apiVersion: API_VERSION, kind: "AddressGroup", metadata: { name: "ag-jobs", namespace: "shop" }, spec: { defaultAction: "DROP" } });
    await createObj(client, { apiVersion: API_VERSION, kind: "Service", metadata: { name: "jobs", namespace: "shop" }, spec: { ingressPorts: [{ protocol: "UDP", port: "6000-6001" }] } });
    const rv0 = b.engine.currentRv;
    const watchers = watchAll(b, client);
    await createObj(client, {
      apiVersion: API_VERSION,
      kind: "AddressGroupBinding",
      metadata: { name: "jobs-in-ag-jobs", namespace: "shop" },
      spec: { serviceRef: ref("Service", "shop", "jobs"), addressGroupRef: ref("AddressGroup", "shop", "ag-jobs") },
    });
    const seen = await commitSeen(watchers, rv0, b.engine.currentRv);
    expect([...seen.entries()].sort(([x], [y]) => x - y)).toEqual([
      [rv0 + 1, "AddressGroupBinding ADDED jobs-in-ag-jobs"],
      [rv0 + 2, "Service MODIFIED jobs"],
      [rv0 + 3, "AddressGroupPortMapping MODIFIED ag-jobs"],
    ]);
    const svcEvent = watchers.get("Service")!.events[0]!;
    expect(svcEvent.object!.xAggregatedAddressGroups).toEqual([{ ref: ref("AddressGroup", "shop", "ag-jobs"), source: "binding" }]);
    const mapEvent = watchers.get("AddressGroupPortMapping")!.events[0]!;
    expect(mapEvent.object!.accessPorts).toEqual({ items: [{ apiVersion: API_VERSION, kind: "Service", name: "jobs", namespace: "shop", ports: { UDP: [{ port: "6000-6001" }] } }] });
    stopAll(watchers);
  });

  test("deleting a RuleS2S: its DELETED event, then the DELETED events of the rules only it generated", async () => {
    const { b, client } = await start();
    const objs = await seedFixtures(client);
    const rv0 = b.engine.currentRv;
    const watchers = watchAll(b, client);
    await deleteObj(client, objs.find((o) => o.metadata.name === "backend-from-frontend")!);
    const seen = await commitSeen(watchers, rv0, b.engine.currentRv);
    const list = [...seen.entries()].sort(([x], [y]) => x - y).map(([, v]) => v);
    expect(list).toEqual([
      "RuleS2S DELETED backend-from-frontend",
      "IEAgAgRule DELETED ing-8fbe3a69-f284-d187-3317-a365c3ed8e7c",
      "IEAgAgRule DELETED ing-f6077a0a-8e81-a91a-33ef-ea36d9f9f825",
    ]);
    stopAll(watchers);
  });

  test("creating an AddressGroup: the group and its port mapping, each ADDED with its own version", async () => {
    const { b, client } = await start();
    await seedFixtures(client);
    const rv0 = b.engine.currentRv;
    const watchers = watchAll(b, client);
    const ag = await createObj(client, { apiVersion: API_VERSION, kind: "AddressGroup", metadata: { name: "ag-new", namespace: "infra" }, spec: { defaultAction: "ACCEPT" } });
    const seen: SeenEvent[] = await watchers.get("AddressGroupPortMapping")!.count(1);
    expect(seen.map((e) => [e.type, e.name, e.rv])).toEqual([["ADDED", "ag-new", Number(ag.metadata.resourceVersion) + 1]]);
    expect(Number(ag.metadata.resourceVersion)).toBe(rv0 + 1);
    expect(seen[0]!.object!.metadata.namespace).toBe("infra");
    stopAll(watchers);
  });
});
