/**
 * UpdateStatus writes the conditions clients own; the server owns `Ready`, `Validated`, `Synced`,
 * `Error`, `status.observedGeneration` and derived status fields (src/backend/derive/). Update owns
 * spec, labels and annotations.
 */
import { describe, expect, test } from "bun:test";
import type { Condition, KubeObject } from "../../src/kinds/model.ts";
import { objectOf, resourceOf, updateObj } from "../helpers/rpc-helpers.ts";
import { backendPerTest, getObj, kind, seedFixtures, watchFrom } from "./rpc-kit.ts";

const start = backendPerTest();
const RuleS2S = kind("RuleS2S");

const foreign = { type: "ExternalSync", status: "True", observedGeneration: 1, lastTransitionTime: "2024-05-06T07:08:09Z", reason: "Pushed", message: "rule is in sgroups" };
const forgedReady = { type: "Ready", status: "False", lastTransitionTime: "2024-05-06T07:08:10Z", reason: "Forged" };

const conditionsOf = (o: KubeObject) => (o.status?.conditions ?? []) as Condition[];
const managed = (o: KubeObject) => conditionsOf(o).filter((c) => ["Ready", "Validated", "Synced", "Error"].includes(c.type));

describe("UpdateStatus", () => {
  test("writes the client's own condition types; server-owned conditions and observedGeneration stay the server's", async () => {
    const { client } = await start();
    const objs = await seedFixtures(client);
    const rule = objs.find((o) => o.metadata.name === "frontend-to-backend")!;
    const w = watchFrom(client, RuleS2S, rule.metadata.resourceVersion!);

    const input: KubeObject = structuredClone(rule);
    input.status = { conditions: [forgedReady, foreign], observedGeneration: 9, ieAgAgRuleRefs: [] };
    // spec and labels in a status write are ignored
    input.spec!.trace = false;
    input.metadata.labels = { sneaky: "yes" };
    const out = objectOf((await client.updateStatus({ resource: resourceOf(input) })).resource);

    expect(conditionsOf(out)).toEqual([...managed(rule), foreign]);
    expect(out.status!.observedGeneration).toBe(1);
    expect(out.status!.ieAgAgRuleRefs).toEqual(rule.status!.ieAgAgRuleRefs);
    expect(out.spec).toEqual(rule.spec!);
    expect(out.metadata.labels).toEqual(rule.metadata.labels);
    expect(out.metadata.generation).toBe(rule.metadata.generation);
    expect(Number(out.metadata.resourceVersion)).toBeGreaterThan(Number(rule.metadata.resourceVersion));
    expect(await getObj(client, RuleS2S, "shop", "frontend-to-backend")).toEqual(out);

    const seen = await w.until((es) => es.some((e) => e.name === "frontend-to-backend"));
    const ev = seen.find((e) => e.name === "frontend-to-backend")!;
    expect(ev.type).toBe("MODIFIED");
    expect(ev.object!.status).toEqual(out.status!);
    w.stop();
  });

  test("an ordinary Update keeps the client's conditions; the server's follow the new generation", async () => {
    const { client } = await start();
    const objs = await seedFixtures(client);
    const rule = objs.find((o) => o.metadata.name === "backend-from-frontend")!;
    const withStatus = objectOf((await client.updateStatus({ resource: resourceOf({ ...rule, status: { conditions: [foreign] } }) })).resource);

    const edit = structuredClone(withStatus);
    edit.spec!.trace = true;
    edit.metadata.labels = { owner: "netops" };
    edit.status = { conditions: [{ type: "Ready", status: "False", lastTransitionTime: "2030-01-01T00:00:00Z" }], observedGeneration: 7 };
    const updated = await updateObj(client, edit);
    expect(updated.metadata.generation).toBe(2);
    expect(updated.spec!.trace).toBe(true);
    expect(updated.metadata.labels).toEqual({ owner: "netops" });
    expect(updated.status!.observedGeneration).toBe(2);
    expect(conditionsOf(updated).at(-1)).toEqual(foreign);
    // the Ready condition did not flip, so it keeps its transition time; its generation is the new one
    const ready = managed(updated).find((c) => c.type === "Ready")!;
    expect(ready).toEqual({ ...managed(rule).find((c) => c.type === "Ready")!, observedGeneration: 2 });
    expect((await getObj(client, RuleS2S, "shop", "backend-from-frontend")).status).toEqual(updated.status!);
  });

  test("UpdateStatus with an empty status clears the client's conditions, not the server's", async () => {
    const { client } = await start();
    const objs = await seedFixtures(client);
    const ag = objs.find((o) => o.metadata.name === "ag-frontend")!;
    const set = objectOf((await client.updateStatus({ resource: resourceOf({ ...ag, status: { conditions: [foreign] } }) })).resource);
    expect(conditionsOf(set)).toEqual([...managed(ag), foreign]);
    const cleared = objectOf((await client.updateStatus({ resource: resourceOf({ ...set, status: {} }) })).resource);
    expect(cleared.status).toEqual(ag.status!);
  });

  test("cannot set a server-derived status field (AddressGroup status.addressGroupName)", async () => {
    const { b, client } = await start();
    const objs = await seedFixtures(client);
    const ag = objs.find((o) => o.metadata.name === "ag-worker")!;
    expect(ag.status!.addressGroupName).toBe("shop/ag-worker");
    const out = objectOf((await client.updateStatus({ resource: resourceOf({ ...ag, status: { addressGroupName: "forged", conditions: [foreign] } }) })).resource);
    expect(out.status!.addressGroupName).toBe("shop/ag-worker");
    expect(conditionsOf(out)).toEqual([...managed(ag), foreign]);
    // a status write that only touches the derived field is a no-op
    const rv = b.engine.currentRv;
    const again = objectOf((await client.updateStatus({ resource: resourceOf({ ...out, status: { ...out.status, addressGroupName: "forged" } }) })).resource);
    expect(again.metadata.resourceVersion).toBe(String(rv));
    expect(await getObj(client, kind("AddressGroup"), "shop", "ag-worker")).toEqual(out);
  });

  test("Create ignores the client's status: the server writes its conditions in the same event", async () => {
    const { client } = await start();
    const out = objectOf(
      (
        await client.create({
          resource: resourceOf({
            apiVersion: "netguard.sgroups.io/v1beta1",
            kind: "AddressGroup",
            metadata: { name: "ag-new", namespace: "shop" },
            spec: { defaultAction: "DROP" },
            status: { conditions: [foreign], observedGeneration: 5 },
          }),
        })
      ).resource,
    );
    expect(conditionsOf(out).map((c) => [c.type, c.status, c.reason, c.observedGeneration])).toEqual([
      ["Ready", "True", "Ready", 1],
      ["Validated", "True", "Validated", 1],
      ["Synced", "True", "Synced", 1],
    ]);
    expect(out.status!.observedGeneration).toBe(1);
    expect(out.status!.addressGroupName).toBe("shop/ag-new");
  });
});
