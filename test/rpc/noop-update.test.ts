/** A write that changes nothing keeps the resourceVersion and emits no event. */
import { describe, expect, test } from "bun:test";
import { objectOf, resourceOf, updateObj } from "../helpers/rpc-helpers.ts";
import { backendPerTest, kind, seedFixtures, sleep, watchFrom } from "./rpc-kit.ts";

const start = backendPerTest();
const Service = kind("Service");

describe("no-op writes", () => {
  test("an Update with the same content returns the same resourceVersion and emits no event; a real change then arrives", async () => {
    const { b, client } = await start();
    const objs = await seedFixtures(client);
    const worker = objs.find((o) => o.kind === "Service" && o.metadata.name === "worker")!;
    const rv0 = b.engine.currentRv;
    const w = watchFrom(client, Service, rv0);

    const same = await updateObj(client, structuredClone(worker));
    expect(same).toEqual(worker);
    // also without a resourceVersion precondition, and with key order shuffled
    const noRv = structuredClone(worker);
    delete noRv.metadata.resourceVersion;
    noRv.spec = { ingressPorts: worker.spec!.ingressPorts };
    expect((await updateObj(client, noRv)).metadata.resourceVersion).toBe(worker.metadata.resourceVersion);
    expect(b.engine.currentRv).toBe(rv0);

    await sleep(300);
    expect(w.events).toEqual([]);

    const changed = await updateObj(client, { ...structuredClone(worker), metadata: { ...worker.metadata, labels: { rev: "1" } } });
    expect(Number(changed.metadata.resourceVersion)).toBe(rv0 + 1);
    const seen = await w.count(1);
    expect(seen.map((e) => [e.type, e.name, e.rv])).toEqual([["MODIFIED", "worker", rv0 + 1]]);
    w.stop();
  });

  test("an UpdateStatus with the same status is a no-op too", async () => {
    const { b, client } = await start();
    const objs = await seedFixtures(client);
    const ag = objs.find((o) => o.metadata.name === "ag-worker")!;
    const status = { conditions: [{ type: "Ready", status: "True", lastTransitionTime: "2024-01-01T00:00:00Z" }], observedGeneration: 1 };
    const v1 = objectOf((await client.updateStatus({ resource: resourceOf({ ...ag, status }) })).resource);
    const rv1 = b.engine.currentRv;
    const w = watchFrom(client, kind("AddressGroup"), rv1);
    const again = objectOf((await client.updateStatus({ resource: resourceOf(v1) })).resource);
    expect(again.metadata.resourceVersion).toBe(v1.metadata.resourceVersion);
    expect(b.engine.currentRv).toBe(rv1);
    await sleep(300);
    expect(w.events).toEqual([]);
    w.stop();
  });
});
