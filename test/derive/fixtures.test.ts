/**
 * The domain-reference §8 fixtures applied in order through the Connect API produce every expected
 * derived object (§4): port mappings, aggregated address groups, generated IEAgAgRules, RuleS2S
 * refs, AddressGroup names — and their removal cascades as described.
 */
import { describe, expect, test } from "bun:test";
import { API_VERSION, type KubeObject } from "../../src/kinds/model.ts";
import { allFixtures } from "../helpers/fixtures.ts";
import { createObj, deleteObj, listKind, updateObj } from "../helpers/rpc-helpers.ts";
import { backendPerTest, getObj, kind, seedFixtures, type NgClient } from "../rpc/rpc-kit.ts";
import { condition, expectNoDrift } from "./derive-kit.ts";

const start = backendPerTest();
const ref = (k: string, namespace: string, name: string) => ({ apiVersion: API_VERSION, kind: k, name, namespace });
const get = (client: NgClient, k: string, ns: string, name: string) => getObj(client, kind(k), ns, name);
const names = async (client: NgClient, k: string) => (await listKind(client, kind(k))).items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`);

const EGR_TCP = "egr-97877b71-97e2-9550-1be1-6cf5b857d9d6";
const ING_TCP = "ing-8fbe3a69-f284-d187-3317-a365c3ed8e7c";
const EGR_UDP = "egr-bcf9533c-a30f-6162-da0f-ee8d2218d679";
const ING_UDP = "ing-f6077a0a-8e81-a91a-33ef-ea36d9f9f825";

const generatedSpec = (traffic: string, transport: string, local: string, target: string, ports: unknown[], trace: boolean) => ({
  transport,
  traffic,
  addressGroupLocal: ref("AddressGroup", "shop", local),
  addressGroup: ref("AddressGroup", "shop", target),
  ports,
  action: "ACCEPT",
  logs: true,
  priority: 100,
  ...(trace ? { trace: true } : {}),
});

describe("§8 fixtures → derived objects", () => {
  test("Fixture 1: aggregated groups from spec, one port mapping per AddressGroup, status.addressGroupName", async () => {
    const { client } = await start();
    await seedFixtures(client);
    expect((await get(client, "Service", "shop", "frontend")).xAggregatedAddressGroups).toEqual([{ ref: ref("AddressGroup", "shop", "ag-frontend"), source: "spec" }]);
    expect((await get(client, "Service", "shop", "backend")).xAggregatedAddressGroups).toEqual([{ ref: ref("AddressGroup", "shop", "ag-backend"), source: "spec" }]);
    expect((await get(client, "AddressGroupPortMapping", "shop", "ag-frontend")).accessPorts).toEqual({
      items: [{ apiVersion: API_VERSION, kind: "Service", name: "frontend", namespace: "shop", ports: { TCP: [{ port: "80" }, { port: "443" }] } }],
    });
    expect((await get(client, "AddressGroupPortMapping", "shop", "ag-backend")).accessPorts).toEqual({
      items: [{ apiVersion: API_VERSION, kind: "Service", name: "backend", namespace: "shop", ports: { TCP: [{ port: "8080-8081" }], UDP: [{ port: "5353" }] } }],
    });
    expect((await get(client, "AddressGroup", "shop", "ag-frontend")).status!.addressGroupName).toBe("shop/ag-frontend");
    // one mapping per AddressGroup, same name and namespace
    expect(await names(client, "AddressGroupPortMapping")).toEqual(await names(client, "AddressGroup"));
  });

  test("Fixture 2: a binding registers the Service (source binding) and fills the mapping; deleting it empties both", async () => {
    const { client } = await start();
    const objs = await seedFixtures(client);
    const worker = await get(client, "Service", "shop", "worker");
    expect(worker.xAggregatedAddressGroups).toEqual([{ ref: ref("AddressGroup", "shop", "ag-worker"), source: "binding" }]);
    expect(worker.metadata.generation).toBe(1); // the Service's spec was not written
    expect((await get(client, "AddressGroupPortMapping", "shop", "ag-worker")).accessPorts).toEqual({
      items: [{ apiVersion: API_VERSION, kind: "Service", name: "worker", namespace: "shop", ports: { TCP: [{ port: "9000" }] } }],
    });

    await deleteObj(client, objs.find((o) => o.metadata.name === "worker-in-ag-worker")!);
    const mapping = await get(client, "AddressGroupPortMapping", "shop", "ag-worker");
    expect(mapping.accessPorts).toBeUndefined(); // kept, but empty
    expect((await get(client, "Service", "shop", "worker")).xAggregatedAddressGroups).toBeUndefined();
  });

  test("Fixture 3: a cross-namespace binding authorised by a policy fills infra/ag-shared-db", async () => {
    const { client } = await start();
    await seedFixtures(client);
    expect((await get(client, "AddressGroupPortMapping", "infra", "ag-shared-db")).accessPorts).toEqual({
      items: [{ apiVersion: API_VERSION, kind: "Service", name: "billing", namespace: "payments", ports: { TCP: [{ port: "7000" }] } }],
    });
    expect((await get(client, "Service", "payments", "billing")).xAggregatedAddressGroups).toEqual([
      { ref: ref("AddressGroup", "infra", "ag-shared-db"), source: "binding" },
    ]);
  });

  test("Fixture 4: the RuleS2S pair generates exactly the expected IEAgAgRules (names, namespaces, specs, priority 100), and the UDP 5353 pair", async () => {
    const { client } = await start();
    await seedFixtures(client);
    const generated = (await listKind(client, kind("IEAgAgRule"))).items.filter((o) => o.metadata.name !== "worker-ssh-block");
    expect(generated.map((o) => `${o.metadata.namespace}/${o.metadata.name}`).sort()).toEqual([EGR_TCP, EGR_UDP, ING_TCP, ING_UDP].map((n) => `shop/${n}`).sort());
    const spec = (name: string) => generated.find((o) => o.metadata.name === name)!.spec;
    expect(spec(EGR_TCP)).toEqual(generatedSpec("EGRESS", "TCP", "ag-frontend", "ag-backend", [{ portRange: { from: 8080, to: 8081 } }], true));
    expect(spec(ING_TCP)).toEqual(generatedSpec("INGRESS", "TCP", "ag-backend", "ag-frontend", [{ portRange: { from: 8080, to: 8081 } }], false));
    expect(spec(EGR_UDP)).toEqual(generatedSpec("EGRESS", "UDP", "ag-frontend", "ag-backend", [{ port: 5353 }], true));
    expect(spec(ING_UDP)).toEqual(generatedSpec("INGRESS", "UDP", "ag-backend", "ag-frontend", [{ port: 5353 }], false));
    for (const o of generated) {
      expect(o.metadata.labels).toEqual({ "netguard.sgroups.io/generated-from": "RuleS2S" });
      expect(condition(o, "Ready")?.status).toBe("True");
    }

    // each RuleS2S is Ready and names the rules it contributes to (upstream never filled this)
    const egress = await get(client, "RuleS2S", "shop", "frontend-to-backend");
    const ingress = await get(client, "RuleS2S", "shop", "backend-from-frontend");
    expect(condition(egress, "Ready")).toMatchObject({ status: "True", reason: "Ready", observedGeneration: 1 });
    expect(egress.status!.ieAgAgRuleRefs).toEqual([ref("IEAgAgRule", "shop", EGR_TCP), ref("IEAgAgRule", "shop", EGR_UDP)]);
    expect(ingress.status!.ieAgAgRuleRefs).toEqual([ref("IEAgAgRule", "shop", ING_TCP), ref("IEAgAgRule", "shop", ING_UDP)]);
  });

  test("Fixture 4: deleting both RuleS2S deletes the generated rules (the hand-written one stays)", async () => {
    const { b, client } = await start();
    const objs = await seedFixtures(client);
    await deleteObj(client, objs.find((o) => o.metadata.name === "frontend-to-backend")!);
    expect((await names(client, "IEAgAgRule")).sort()).toEqual([`shop/${ING_TCP}`, `shop/${ING_UDP}`, "shop/worker-ssh-block"].sort());
    await deleteObj(client, objs.find((o) => o.metadata.name === "backend-from-frontend")!);
    expect(await names(client, "IEAgAgRule")).toEqual(["shop/worker-ssh-block"]);
    expectNoDrift(b);
  });

  test("Fixture 5: a hand-written IEAgAgRule is kept as written (priority 10) and gets conditions", async () => {
    const { client } = await start();
    await seedFixtures(client);
    const rule = await get(client, "IEAgAgRule", "shop", "worker-ssh-block");
    const written = allFixtures().find((o) => o.metadata.name === "worker-ssh-block")!;
    expect(rule.spec).toEqual(written.spec!);
    expect(rule.metadata.labels).toEqual({ owner: "secops" });
    expect(condition(rule, "Ready")?.status).toBe("True");
  });

  test("deleting an AddressGroup deletes its port mapping and the IEAgAgRules naming it, in one commit", async () => {
    const { b, client } = await start();
    const objs = await seedFixtures(client);
    await deleteObj(client, objs.find((o) => o.metadata.name === "worker-in-ag-worker")!);
    const rv0 = b.engine.currentRv;
    const gone = await deleteObj(client, objs.find((o) => o.kind === "AddressGroup" && o.metadata.name === "ag-worker")!);
    expect(Number(gone.metadata.resourceVersion)).toBe(rv0 + 1);
    // the AddressGroup, then the cascaded rule (worker-ssh-block names ag-worker) and the mapping
    expect(b.engine.currentRv).toBe(rv0 + 3);
    expect(await names(client, "AddressGroupPortMapping")).not.toContain("shop/ag-worker");
    expect(await names(client, "IEAgAgRule")).not.toContain("shop/worker-ssh-block");
    expectNoDrift(b);
  });

  test("the whole fixture set is consistent with a from-scratch derivation", async () => {
    const { b, client } = await start();
    await seedFixtures(client);
    expectNoDrift(b);
  });
});

describe("removing registrations", () => {
  test("removing a Service's group from spec makes its RuleS2S NotReady and deletes the generated rules", async () => {
    const { b, client } = await start();
    await seedFixtures(client);
    const backend = await get(client, "Service", "shop", "backend");
    const edit: KubeObject = structuredClone(backend);
    delete edit.spec!.addressGroups;
    await updateObj(client, edit);
    expect(await names(client, "IEAgAgRule")).toEqual(["shop/worker-ssh-block"]);
    const rule = await get(client, "RuleS2S", "shop", "frontend-to-backend");
    expect(condition(rule, "Ready")).toMatchObject({ status: "False", reason: "NotReady", message: "target Service shop/backend belongs to no AddressGroup" });
    expect(condition(rule, "Error")).toMatchObject({ status: "True", reason: "DependencyError" });
    expect(rule.status!.ieAgAgRuleRefs).toBeUndefined();
    expect((await get(client, "AddressGroupPortMapping", "shop", "ag-backend")).accessPorts).toBeUndefined();
    expectNoDrift(b);
    // and back: a binding registers it again; the rules come back in that binding's commit
    const rv0 = b.engine.currentRv;
    await createObj(client, {
      apiVersion: API_VERSION,
      kind: "AddressGroupBinding",
      metadata: { name: "backend-in-ag-backend", namespace: "shop" },
      spec: { serviceRef: ref("Service", "shop", "backend"), addressGroupRef: ref("AddressGroup", "shop", "ag-backend") },
    });
    expect((await names(client, "IEAgAgRule")).length).toBe(5);
    const read = await b.engine.events.read(b.engine.events.cursor("IEAgAgRule", rv0));
    expect(read.kind === "events" ? read.events.map((e) => e.type) : read).toEqual(["ADDED", "ADDED", "ADDED", "ADDED"]);
    expect(condition(await get(client, "RuleS2S", "shop", "frontend-to-backend"), "Ready")?.status).toBe("True");
    expectNoDrift(b);
  });
});
