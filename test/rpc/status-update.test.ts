/** UpdateStatus owns conditions and observedGeneration; Update owns spec, labels and annotations. */
import { describe, expect, test } from "bun:test";
import type { KubeObject } from "../../src/kinds/model.ts";
import { objectOf, resourceOf, updateObj } from "../helpers/rpc-helpers.ts";
import { backendPerTest, getObj, kind, seedFixtures, watchFrom } from "./rpc-kit.ts";

const start = backendPerTest();
const RuleS2S = kind("RuleS2S");

const conditions = [
  { type: "Ready", status: "True", observedGeneration: 1, lastTransitionTime: "2024-05-06T07:08:09Z", reason: "Synced", message: "rule is in the backend" },
  { type: "Error", status: "False", lastTransitionTime: "2024-05-06T07:08:10Z", reason: "NoError" },
];

describe("UpdateStatus", () => {
  test("writes conditions (with lastTransitionTime) and observedGeneration, and nothing else", async () => {
    const { client } = await start();
    const objs = await seedFixtures(client);
    const rule = objs.find((o) => o.metadata.name === "frontend-to-backend")!;
    const w = watchFrom(client, RuleS2S, rule.metadata.resourceVersion!);

    const input: KubeObject = structuredClone(rule);
    input.status = { conditions, observedGeneration: 1 };
    // spec and labels in a status write are ignored
    input.spec!.trace = false;
    input.metadata.labels = { sneaky: "yes" };
    const out = objectOf((await client.updateStatus({ resource: resourceOf(input) })).resource);

    expect(out.status).toEqual({ conditions, observedGeneration: 1 });
    expect(out.spec).toEqual(rule.spec!);
    expect(out.metadata.labels).toEqual(rule.metadata.labels);
    expect(out.metadata.generation).toBe(rule.metadata.generation);
    expect(Number(out.metadata.resourceVersion)).toBeGreaterThan(Number(rule.metadata.resourceVersion));
    expect(await getObj(client, RuleS2S, "shop", "frontend-to-backend")).toEqual(out);

    const seen = await w.until((es) => es.some((e) => e.name === "frontend-to-backend"));
    const ev = seen.find((e) => e.name === "frontend-to-backend")!;
    expect(ev.type).toBe("MODIFIED");
    expect(ev.object!.status).toEqual({ conditions, observedGeneration: 1 });
    w.stop();
  });

  test("an ordinary Update keeps the conditions and observedGeneration, even when it sends other status", async () => {
    const { client } = await start();
    const objs = await seedFixtures(client);
    const rule = objs.find((o) => o.metadata.name === "backend-from-frontend")!;
    const withStatus = objectOf((await client.updateStatus({ resource: resourceOf({ ...rule, status: { conditions, observedGeneration: 1 } }) })).resource);

    const edit = structuredClone(withStatus);
    edit.spec!.trace = true;
    edit.metadata.labels = { owner: "netops" };
    edit.status = { conditions: [{ type: "Ready", status: "False", lastTransitionTime: "2030-01-01T00:00:00Z" }], observedGeneration: 7 };
    const updated = await updateObj(client, edit);
    expect(updated.metadata.generation).toBe(2);
    expect(updated.spec!.trace).toBe(true);
    expect(updated.metadata.labels).toEqual({ owner: "netops" });
    expect(updated.status).toEqual({ conditions, observedGeneration: 1 });
    expect((await getObj(client, RuleS2S, "shop", "backend-from-frontend")).status).toEqual({ conditions, observedGeneration: 1 });
  });

  test("UpdateStatus with an empty status clears conditions", async () => {
    const { client } = await start();
    const objs = await seedFixtures(client);
    const ag = objs.find((o) => o.metadata.name === "ag-frontend")!;
    const set = objectOf((await client.updateStatus({ resource: resourceOf({ ...ag, status: { conditions } }) })).resource);
    expect(set.status).toEqual({ conditions });
    const cleared = objectOf((await client.updateStatus({ resource: resourceOf({ ...set, status: {} }) })).resource);
    expect(cleared.status).toBeUndefined();
  });

  test("cannot set a server-derived status field (AddressGroup status.addressGroupName)", async () => {
    const { b, client } = await start();
    const objs = await seedFixtures(client);
    const ag = objs.find((o) => o.metadata.name === "ag-worker")!;
    const out = objectOf((await client.updateStatus({ resource: resourceOf({ ...ag, status: { addressGroupName: "forged", conditions } }) })).resource);
    expect(out.status).toEqual({ conditions });
    // a status write that only touches the derived field is a no-op
    const rv = b.engine.currentRv;
    const again = objectOf((await client.updateStatus({ resource: resourceOf({ ...out, status: { addressGroupName: "forged", conditions } }) })).resource);
    expect(again.metadata.resourceVersion).toBe(String(rv));
    expect((await getObj(client, kind("AddressGroup"), "shop", "ag-worker")).status).toEqual({ conditions });
  });

  test("Create ignores status: conditions are written only through UpdateStatus", async () => {
    const { client } = await start();
    const out = objectOf(
      (
        await client.create({
          resource: resourceOf({
            apiVersion: "netguard.sgroups.io/v1beta1",
            kind: "AddressGroup",
            metadata: { name: "ag-new", namespace: "shop" },
            spec: { defaultAction: "DROP" },
            status: { conditions, observedGeneration: 5 },
          }),
        })
      ).resource,
    );
    expect(out.status).toBeUndefined();
  });
});
