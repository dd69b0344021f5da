/**
 * What a client may do to derived objects. A generated IEAgAgRule is an ordinary object to clients:
 * a Delete really deletes it and an Update really changes it — until the next change of that rule's
 * inputs (RuleS2S, its Services' ports or groups, bindings) regenerates it. Dry runs compute the
 * derived consequences but store and emit nothing.
 */
import { describe, expect, test } from "bun:test";
import { Code } from "@connectrpc/connect";
import { ResourceKind } from "../../src/gen/netguard/v1/service_pb.ts";
import { API_VERSION, type KubeObject } from "../../src/kinds/model.ts";
import { objectOf, resourceOf, updateObj } from "../helpers/rpc-helpers.ts";
import { backendPerTest, expectCode, expectNothingWritten, getObj, kind, seedFixtures } from "../rpc/rpc-kit.ts";

const start = backendPerTest();
const EGR_TCP = "egr-97877b71-97e2-9550-1be1-6cf5b857d9d6";
const IEAgAgRule = kind("IEAgAgRule");
const ref = (k: string, namespace: string, name: string) => ({ apiVersion: API_VERSION, kind: k, name, namespace });

/** Adds TCP 9090 to backend: an input change of the EGRESS TCP combination. */
async function touchBackend(client: Parameters<typeof getObj>[0]) {
  const backend = await getObj(client, kind("Service"), "shop", "backend");
  const edit: KubeObject = structuredClone(backend);
  (edit.spec!.ingressPorts as unknown[]).push({ protocol: "TCP", port: "9090" });
  await updateObj(client, edit);
}

describe("client writes of generated IEAgAgRules", () => {
  test("a Delete really deletes the rule; the next input change regenerates it", async () => {
    const { b, client } = await start();
    await seedFixtures(client);
    const rv0 = b.engine.currentRv;
    await client.delete({ kind: ResourceKind.IEAGAG_RULE, identifier: { namespace: "shop", name: EGR_TCP } });
    expect(b.engine.currentRv).toBe(rv0 + 1); // nothing regenerated it in the same commit
    await expectCode(getObj(client, IEAgAgRule, "shop", EGR_TCP), Code.NotFound);
    // the RuleS2S still names it: it contributes to that combination
    const rule = await getObj(client, kind("RuleS2S"), "shop", "frontend-to-backend");
    expect(rule.status!.ieAgAgRuleRefs).toContainEqual(ref("IEAgAgRule", "shop", EGR_TCP));

    await touchBackend(client);
    const back = await getObj(client, IEAgAgRule, "shop", EGR_TCP);
    expect(back.spec!.ports).toEqual([{ portRange: { from: 8080, to: 8081 } }, { port: 9090 }]);
  });

  test("an Update stands until the next input change, which overwrites the spec (labels are kept)", async () => {
    const { client } = await start();
    await seedFixtures(client);
    const generated = await getObj(client, IEAgAgRule, "shop", EGR_TCP);
    const edit = structuredClone(generated);
    edit.spec!.ports = [{ port: 1 }];
    edit.metadata.labels = { ...edit.metadata.labels, reviewed: "yes" };
    const changed = await updateObj(client, edit);
    expect(changed.spec!.ports).toEqual([{ port: 1 }]);

    await touchBackend(client);
    const regenerated = await getObj(client, IEAgAgRule, "shop", EGR_TCP);
    expect(regenerated.spec!.ports).toEqual([{ portRange: { from: 8080, to: 8081 } }, { port: 9090 }]);
    expect(regenerated.metadata.labels).toEqual({ "netguard.sgroups.io/generated-from": "RuleS2S", reviewed: "yes" });
    expect(regenerated.metadata.generation).toBe(3);
  });
});

describe("dry runs and derived consequences", () => {
  test("a dry-run binding answers the binding, writes nothing, and leaves Service and mapping as they were", async () => {
    const { b, client } = await start();
    const objs = await seedFixtures(client);
    await client.delete({ kind: ResourceKind.ADDRESS_GROUP_BINDING, identifier: { namespace: "shop", name: "worker-in-ag-worker" } });
    const binding = objs.find((o) => o.metadata.name === "worker-in-ag-worker")!;
    const worker = await getObj(client, kind("Service"), "shop", "worker");
    await expectNothingWritten(b, client, ["AddressGroupBinding", "Service", "AddressGroupPortMapping"], async () => {
      const input = { ...structuredClone(binding), metadata: { name: binding.metadata.name, namespace: binding.metadata.namespace } };
      const out = objectOf((await client.create({ resource: resourceOf(input), dryRun: true })).resource);
      expect(out.metadata.name).toBe("worker-in-ag-worker");
      expect(out.metadata.resourceVersion).toBeUndefined();
    });
    expect(await getObj(client, kind("Service"), "shop", "worker")).toEqual(worker);
    expect((await getObj(client, kind("AddressGroupPortMapping"), "shop", "ag-worker")).accessPorts).toBeUndefined();
  });
});
