/** delete and deletecollection. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { KubeObject } from "../../../src/kinds/model.ts";
import { collection, createAll, createSample, objectPath, seedFixtures, startRestStack, type RestStack } from "./rest-harness.ts";

let s: RestStack;
beforeAll(async () => {
  s = await startRestStack();
  await seedFixtures(s);
});
afterAll(() => s.close());

const ag = (name: string, namespace: string, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: "netguard.sgroups.io/v1beta1",
  kind: "AddressGroup",
  metadata: { name, namespace, labels },
  spec: { defaultAction: "ACCEPT" },
});

describe("delete", () => {
  test("answers 200 with the deleted object, and the object is gone", async () => {
    const created = await createSample(s, "IEAgAgRule", 1);
    const r = await s.call("DELETE", objectPath("ieagagrules", created.metadata.name), { propagationPolicy: "Background" });
    expect(r.status).toBe(200);
    expect(r.body.kind).toBe("IEAgAgRule");
    expect(r.body.metadata.name).toBe(created.metadata.name);
    expect(r.body.spec).toEqual(created.spec);
    expect((await s.call("GET", objectPath("ieagagrules", created.metadata.name))).status).toBe(404);
  });

  test("works without a body", async () => {
    const created = await createSample(s, "AddressGroup", 2);
    const r = await s.call("DELETE", objectPath("addressgroups", created.metadata.name));
    expect(r.status).toBe(200);
  });

  test("honours preconditions.resourceVersion and preconditions.uid", async () => {
    const created = await createSample(s, "AddressGroup", 3);
    const path = objectPath("addressgroups", created.metadata.name);
    const staleRv = await s.call("DELETE", path, { kind: "DeleteOptions", apiVersion: "v1", preconditions: { resourceVersion: "1" } });
    expect(staleRv.status).toBe(409);
    expect(staleRv.body.reason).toBe("Conflict");
    const wrongUid = await s.call("DELETE", path, { preconditions: { uid: "00000000-0000-0000-0000-000000000000" } });
    expect(wrongUid.status).toBe(409);
    expect((await s.call("GET", path)).status).toBe(200);
    const ok = await s.call("DELETE", path, { preconditions: { resourceVersion: created.metadata.resourceVersion, uid: created.metadata.uid } });
    expect(ok.status).toBe(200);
  });

  test("a malformed DeleteOptions body is a 400", async () => {
    const created = await createSample(s, "AddressGroup", 4);
    const r = await s.call("DELETE", objectPath("addressgroups", created.metadata.name), "{not json");
    expect(r.status).toBe(400);
  });

  test("an object in use answers 200 with itself Terminating (deletionTimestamp, the in-use finalizer); a repeat answers the same", async () => {
    const path = objectPath("addressgroups", "ag-backend");
    const dry = await s.call("DELETE", `${path}?dryRun=All`);
    expect(dry.status).toBe(200);
    expect(dry.body.metadata.deletionTimestamp).toBeDefined();
    expect((await s.call("GET", path)).body.metadata.deletionTimestamp).toBeUndefined();
    const r = await s.call("DELETE", path);
    expect(r.status).toBe(200);
    expect(r.body.kind).toBe("AddressGroup");
    expect(r.body.metadata.finalizers).toEqual(["netguard.sgroups.io/in-use-protection"]);
    expect(r.body.metadata.deletionTimestamp).toMatch(/Z$/);
    const again = await s.call("DELETE", path);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(r.body);
    expect((await s.call("GET", path)).body.metadata.resourceVersion).toBe(r.body.metadata.resourceVersion);
  });

  test("a new reference to a Terminating object is a 422 naming the field", async () => {
    // an AddressGroup of its own, in use by a Service: deleting it leaves it Terminating
    const svc = (name: string): KubeObject => ({
      apiVersion: "netguard.sgroups.io/v1beta1",
      kind: "Service",
      metadata: { name, namespace: "term" },
      spec: { addressGroups: [{ apiVersion: "netguard.sgroups.io/v1beta1", kind: "AddressGroup", name: "ag-term", namespace: "term" }] },
    });
    await createAll(s, [ag("ag-term", "term"), svc("first-user")]);
    const terminating = await s.call("DELETE", objectPath("addressgroups", "ag-term", "term"));
    expect(terminating.body.metadata.deletionTimestamp).toBeDefined();
    const r = await s.call("POST", collection("services", "term"), svc("late-joiner"));
    expect(r.status).toBe(422);
    expect(r.body.details.causes).toContainEqual(expect.objectContaining({ field: "spec.addressGroups[0]", reason: "FieldValueForbidden" }));
    expect(r.body.message).toContain("is being deleted");
  });

  test("DELETE on the status subresource is not allowed", async () => {
    const r = await s.call("DELETE", `${objectPath("services", "worker")}/status`);
    expect(r.status).toBe(405);
  });
});

describe("deletecollection", () => {
  test("deletes the objects matching the selectors and answers the List of deleted objects", async () => {
    await createAll(s, [ag("dc-a", "dc", { batch: "1" }), ag("dc-b", "dc", { batch: "1" }), ag("dc-c", "dc", { batch: "2" }), ag("dc-d", "dc2", { batch: "1" })]);
    const r = await s.call("DELETE", `${collection("addressgroups", "dc")}?labelSelector=batch%3D1`);
    expect(r.status).toBe(200);
    expect(r.body.kind).toBe("AddressGroupList");
    expect(r.body.metadata.resourceVersion).toMatch(/^\d+$/);
    expect(r.body.items.map((o: KubeObject) => o.metadata.name)).toEqual(["dc-a", "dc-b"]);
    const left = await s.call("GET", collection("addressgroups", "dc"));
    expect(left.body.items.map((o: KubeObject) => o.metadata.name)).toEqual(["dc-c"]);
    expect((await s.call("GET", objectPath("addressgroups", "dc-d", "dc2"))).status).toBe(200);
  });

  test("a field selector narrows the collection", async () => {
    await createAll(s, [ag("fs-a", "dcfs"), ag("fs-b", "dcfs")]);
    const r = await s.call("DELETE", `${collection("addressgroups", "dcfs")}?fieldSelector=metadata.name%3Dfs-b`);
    expect(r.body.items.map((o: KubeObject) => o.metadata.name)).toEqual(["fs-b"]);
    const left = await s.call("GET", collection("addressgroups", "dcfs"));
    expect(left.body.items.map((o: KubeObject) => o.metadata.name)).toEqual(["fs-a"]);
  });

  test("objects still in use are accepted as Terminating and listed with the deleted ones", async () => {
    // frontend is referenced by a ServiceAlias and RuleS2S, backend by RuleS2S, worker is bound:
    // all three wait for their users; a new unreferenced Service in the same namespace goes at once.
    await createAll(s, [
      { apiVersion: "netguard.sgroups.io/v1beta1", kind: "Service", metadata: { name: "lonely", namespace: "shop" }, spec: { ingressPorts: [{ protocol: "UDP", port: "7777" }] } },
    ]);
    const r = await s.call("DELETE", collection("services", "shop"));
    expect(r.status).toBe(200);
    expect(r.body.kind).toBe("ServiceList");
    const items = r.body.items as KubeObject[];
    expect(items.map((o) => o.metadata.name).sort()).toEqual(["backend", "frontend", "lonely", "worker"]);
    expect(items.filter((o) => o.metadata.deletionTimestamp).map((o) => o.metadata.name).sort()).toEqual(["backend", "frontend", "worker"]);
    expect((await s.call("GET", objectPath("services", "lonely"))).status).toBe(404);
    const frontend = await s.call("GET", objectPath("services", "frontend"));
    expect(frontend.body.metadata.finalizers).toEqual(["netguard.sgroups.io/in-use-protection"]);
  });

  test("a collection with nothing blocked is deleted completely", async () => {
    await createAll(s, [ag("multi-1", "multi"), ag("multi-2", "multi")]);
    const r = await s.call("DELETE", collection("addressgroups", "multi"));
    expect(r.status).toBe(200);
    expect(r.body.items).toHaveLength(2);
  });

  test("port mappings are deleted with their AddressGroups only: deletecollection on them is 409 naming each", async () => {
    await createAll(s, [ag("pm-a", "pmdc"), ag("pm-b", "pmdc")]);
    const mappings = await s.call("GET", collection("addressgroupportmappings", "pmdc"));
    expect(mappings.body.items.map((o: KubeObject) => o.metadata.name)).toEqual(["pm-a", "pm-b"]);
    for (const dry of ["", "?dryRun=All"]) {
      const r = await s.call("DELETE", `${collection("addressgroupportmappings", "pmdc")}${dry}`);
      expect(r.status).toBe(409);
      expect(r.body).toMatchObject({ kind: "Status", reason: "Conflict", code: 409 });
      expect(r.body.message).toStartWith("deleted 0 of 2 addressgroupportmappings; 2 could not be deleted:");
      expect(r.body.message).toContain("is managed by the server: it is deleted with its AddressGroup");
      expect(r.body.details.causes.map((c: { field: string }) => c.field)).toEqual(["pmdc/pm-a", "pmdc/pm-b"]);
    }
    expect((await s.call("GET", collection("addressgroupportmappings", "pmdc"))).body.items).toHaveLength(2);
    expect((await s.call("DELETE", collection("addressgroups", "pmdc"))).status).toBe(200);
    expect((await s.call("GET", collection("addressgroupportmappings", "pmdc"))).body.items).toEqual([]);
  });

  test("is refused on the all-namespaces path", async () => {
    const r = await s.call("DELETE", collection("addressgroups", ""));
    expect(r.status).toBe(405);
  });
});
