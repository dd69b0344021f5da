/**
 * At start the engine brings derived data up to date in one commit — for stores written before the
 * derive step existed (no port mappings, no conditions) — and writes nothing when it already is.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { createEngine, type Engine } from "../../src/backend/engine/engine.ts";
import { createMemoryBacking, createMemoryPersistence } from "../../src/backend/store/memory-persistence.ts";
import { kindByName } from "../../src/kinds/kind-table.ts";
import { API_VERSION, type KubeObject } from "../../src/kinds/model.ts";
import { allFixtures } from "../helpers/fixtures.ts";
import { condition, persistedEvents } from "./derive-kit.ts";

const engines: Engine[] = [];
afterEach(async () => {
  while (engines.length) await engines.pop()!.close();
});

async function open(backing: ReturnType<typeof createMemoryBacking>) {
  const e = await createEngine({ persistence: createMemoryPersistence(backing), retention: { maxEvents: 0, maxAgeMs: 0 }, ringCapacity: 256, trimIntervalMs: 0 });
  engines.push(e);
  return e;
}

describe("start-up reconcile", () => {
  test("a consistent store restarts without a single write", async () => {
    const backing = createMemoryBacking();
    const first = await open(backing);
    for (const o of allFixtures()) await first.create(kindByName(o.kind)!, o);
    const rv = first.currentRv;
    await engines.pop()!.close();
    const second = await open(backing);
    expect(second.currentRv).toBe(rv);
  });

  test("a store from before derived data gets its mappings, aggregated groups and conditions in one commit", async () => {
    const backing = createMemoryBacking();
    const p = createMemoryPersistence(backing);
    await p.load();
    const bare = (kind: string, name: string, spec: Record<string, unknown>, rv: number): KubeObject => ({
      apiVersion: API_VERSION,
      kind,
      metadata: { name, namespace: "shop", uid: `uid-${name}`, generation: 1, creationTimestamp: "2024-01-01T00:00:00Z", resourceVersion: String(rv) },
      spec,
    });
    const ag = bare("AddressGroup", "ag-old", { defaultAction: "DROP" }, 1);
    const svc = bare("Service", "svc-old", { ingressPorts: [{ protocol: "TCP", port: "80" }], addressGroups: [{ apiVersion: API_VERSION, kind: "AddressGroup", name: "ag-old", namespace: "shop" }] }, 2);
    await p.commit({
      rv: 2,
      events: [ag, svc].map((object, i) => ({ rv: i + 1, kind: object.kind, type: "ADDED" as const, namespace: "shop", name: object.metadata.name, object, time: 0 })),
    });
    await p.close();

    const e = await open(backing);
    const mapping = e.get(kindByName("AddressGroupPortMapping")!, "shop", "ag-old")!;
    expect(mapping.accessPorts).toEqual({ items: [{ apiVersion: API_VERSION, kind: "Service", name: "svc-old", namespace: "shop", ports: { TCP: [{ port: "80" }] } }] });
    const service = e.get(kindByName("Service")!, "shop", "svc-old")!;
    expect(service.xAggregatedAddressGroups).toEqual([{ ref: { apiVersion: API_VERSION, kind: "AddressGroup", name: "ag-old", namespace: "shop" }, source: "spec" }]);
    expect(condition(service, "Ready")?.status).toBe("True");
    // AddressGroup, Service and the new mapping: one commit, consecutive versions after the old ones
    const events = await persistedEvents(createMemoryPersistence(backing));
    expect(events.map((x) => [x.rv, x.kind, x.type])).toEqual([
      [1, "AddressGroup", "ADDED"],
      [2, "Service", "ADDED"],
      [3, "Service", "MODIFIED"],
      [4, "AddressGroup", "MODIFIED"],
      [5, "AddressGroupPortMapping", "ADDED"],
    ]);
    expect(new Set(events.slice(2).map((x) => x.time)).size).toBe(1);
    expect(e.currentRv).toBe(5);
  });
});
