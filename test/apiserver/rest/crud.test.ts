/** list, get, create and update through the API server, against a real backend. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { API_VERSION, type KubeObject } from "../../../src/kinds/model.ts";
import { sample } from "../../helpers/fixtures.ts";
import { collection, createAll, createSample, objectPath, seedFixtures, startRestStack, type RestStack } from "./rest-harness.ts";

let s: RestStack;
beforeAll(async () => {
  s = await startRestStack();
  await seedFixtures(s);
});
afterAll(() => s.close());

describe("list", () => {
  // The list tests read, and expect exactly, the fixtures: their own stack, which no other test
  // writes to, keeps them true in any order.
  let s: RestStack;
  beforeAll(async () => {
    s = await startRestStack();
    await seedFixtures(s);
  });
  afterAll(() => s.close());

  test("a namespaced list is a <Kind>List with apiVersion, resourceVersion and items carrying apiVersion and kind", async () => {
    const r = await s.call("GET", `${collection("services")}?limit=500`);
    expect(r.status).toBe(200);
    expect(r.body.apiVersion).toBe(API_VERSION);
    expect(r.body.kind).toBe("ServiceList");
    expect(r.body.metadata.resourceVersion).toMatch(/^\d+$/);
    expect(r.body.items.map((o: KubeObject) => o.metadata.name)).toEqual(["backend", "frontend", "worker"]);
    for (const o of r.body.items) {
      expect(o.apiVersion).toBe(API_VERSION);
      expect(o.kind).toBe("Service");
      expect(o.metadata.namespace).toBe("shop");
      expect(o.metadata.uid).toBeTruthy();
      expect(o.metadata.resourceVersion).toMatch(/^\d+$/);
    }
  });

  test("the all-namespaces list returns objects of every namespace", async () => {
    const r = await s.call("GET", collection("addressgroups", ""));
    expect(r.body.kind).toBe("AddressGroupList");
    const keys = r.body.items.map((o: KubeObject) => `${o.metadata.namespace}/${o.metadata.name}`);
    expect(keys).toEqual(expect.arrayContaining(["infra/ag-shared-db", "shop/ag-frontend", "shop/ag-backend", "shop/ag-worker"]));
  });

  test("an empty list still carries the resourceVersion", async () => {
    const r = await s.call("GET", collection("services", "empty"));
    expect(r.body.items).toEqual([]);
    expect(r.body.metadata.resourceVersion).toMatch(/^\d+$/);
  });

  test("label selectors are applied", async () => {
    const r = await s.call("GET", `${collection("services")}?labelSelector=${encodeURIComponent("tier in (web)")}`);
    expect(r.body.items.map((o: KubeObject) => o.metadata.name)).toEqual(["frontend"]);
    const none = await s.call("GET", `${collection("services", "")}?labelSelector=${encodeURIComponent("tier=nothing")}`);
    expect(none.body.items).toEqual([]);
  });

  test("field selectors on metadata.name and metadata.namespace are applied", async () => {
    const byName = await s.call("GET", `${collection("services")}?fieldSelector=${encodeURIComponent("metadata.name=worker")}`);
    expect(byName.body.items.map((o: KubeObject) => o.metadata.name)).toEqual(["worker"]);
    const byNs = await s.call("GET", `${collection("services", "")}?fieldSelector=${encodeURIComponent("metadata.namespace=payments")}`);
    expect(byNs.body.items.map((o: KubeObject) => o.metadata.name)).toEqual(["billing"]);
  });

  test("a malformed selector is a 400 BadRequest Status", async () => {
    const bad = await s.call("GET", `${collection("services")}?labelSelector=${encodeURIComponent("a in (")}`);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ kind: "Status", reason: "BadRequest" });
    const field = await s.call("GET", `${collection("services")}?fieldSelector=spec.description%3Dx`);
    expect(field.status).toBe(400);
    expect(field.body.message).toContain("spec.description");
  });

  test("limit and continue page through the list", async () => {
    const first = await s.call("GET", `${collection("addressgroups", "")}?limit=2`);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.metadata.continue).toBeTruthy();
    const second = await s.call("GET", `${collection("addressgroups", "")}?limit=2&continue=${encodeURIComponent(first.body.metadata.continue)}`);
    expect(second.body.items).toHaveLength(2);
    const all = [...first.body.items, ...second.body.items].map((o: KubeObject) => o.metadata.name);
    expect(new Set(all).size).toBe(4);
  });

  test("a malformed limit is a 400", async () => {
    const r = await s.call("GET", `${collection("services")}?limit=abc`);
    expect(r.status).toBe(400);
  });

  test("metadata-only clients get a PartialObjectMetadataList", async () => {
    const r = await s.call("GET", collection("services"), undefined, { accept: "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json" });
    expect(r.body.kind).toBe("PartialObjectMetadataList");
    expect(r.body.items[0].kind).toBe("PartialObjectMetadata");
    expect(r.body.items[0].metadata.name).toBe("backend");
    expect(r.body.items[0].spec).toBeUndefined();
  });
});

describe("get", () => {
  test("returns the object with apiVersion, kind and server metadata", async () => {
    const r = await s.call("GET", objectPath("services", "frontend"));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      apiVersion: API_VERSION,
      kind: "Service",
      metadata: { name: "frontend", namespace: "shop", labels: { tier: "web" }, generation: 1 },
      spec: { description: "storefront UI", ingressPorts: [{ protocol: "TCP", port: "80", description: "http" }, { protocol: "TCP", port: "443", description: "https" }] },
    });
    expect(r.body.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  test("the status subresource GET returns the whole object", async () => {
    const r = await s.call("GET", `${objectPath("addressgroups", "ag-frontend")}/status`);
    expect(r.status).toBe(200);
    expect(r.body.kind).toBe("AddressGroup");
    expect(r.body.spec.defaultAction).toBe("ACCEPT");
  });
});

describe("create", () => {
  test("answers 201 with the stored object, for every kind clients create", async () => {
    for (const [i, kind] of ["Service", "AddressGroup", "AddressGroupBinding", "RuleS2S", "ServiceAlias", "AddressGroupBindingPolicy", "IEAgAgRule"].entries()) {
      const created = await createSample(s, kind, 100 + i);
      expect(created.kind).toBe(kind);
      expect(created.metadata.uid).toBeTruthy();
      expect(created.metadata.resourceVersion).toMatch(/^\d+$/);
    }
  });

  test("AddressGroupPortMappings are made by the server: a client create is a clean 422 or 409, never a 500", async () => {
    const { needs, object, owner } = sample("AddressGroupPortMapping", 107);
    // no AddressGroup of that name yet: refused as Invalid on metadata.name, and nothing is stored
    for (const dry of ["", "?dryRun=All"]) {
      const r = await s.call("POST", `${collection("addressgroupportmappings")}${dry}`, object);
      expect(r.status).toBe(422);
      expect(r.body).toMatchObject({ kind: "Status", status: "Failure", reason: "Invalid", code: 422, details: { kind: "AddressGroupPortMapping", name: object.metadata.name } });
      expect(r.body.details.causes).toEqual([expect.objectContaining({ field: "metadata.name", reason: "FieldValueForbidden" })]);
      expect(r.body.message).toContain("managed by the server");
      expect((await s.call("GET", objectPath("addressgroupportmappings", object.metadata.name))).status).toBe(404);
    }
    // server-side apply of a missing mapping is a create too: the same refusal
    const applied = await s.call("PATCH", `${objectPath("addressgroupportmappings", object.metadata.name)}?fieldManager=kubectl`, object, { "content-type": "application/apply-patch+yaml" });
    expect(applied.status).toBe(422);
    expect(applied.body.details.causes[0].field).toBe("metadata.name");

    // creating the AddressGroup makes its mapping appear by itself (same name and namespace) ...
    expect(needs).toEqual([owner!]);
    const ag = (await createAll(s, needs))[0]!;
    const mapping = await s.call("GET", objectPath("addressgroupportmappings", ag.metadata.name));
    expect(mapping.status).toBe(200);
    expect(mapping.body).toMatchObject({ kind: "AddressGroupPortMapping", metadata: { name: ag.metadata.name, namespace: ag.metadata.namespace, generation: 1 } });
    expect(mapping.body.metadata.uid).toBeTruthy();
    expect(Number(mapping.body.metadata.resourceVersion)).toBeGreaterThan(Number(ag.metadata.resourceVersion));
    // ... after which a client create of it is AlreadyExists, as for any existing object
    const again = await s.call("POST", collection("addressgroupportmappings"), object);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ kind: "Status", reason: "AlreadyExists", code: 409 });
    expect(again.body.message).toBe(`addressgroupportmappings.netguard.sgroups.io "${object.metadata.name}" already exists`);
  });

  test("defaults a missing body namespace to the URL namespace", async () => {
    const o = sample("AddressGroup", 200).object;
    delete (o.metadata as Partial<KubeObject["metadata"]>).namespace;
    const r = await s.call("POST", collection("addressgroups", "shop"), o);
    expect(r.status).toBe(201);
    expect(r.body.metadata.namespace).toBe("shop");
  });

  test("rejects a body namespace that contradicts the URL with 400", async () => {
    const o = sample("AddressGroup", 201).object;
    const r = await s.call("POST", collection("addressgroups", "other"), o);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({
      kind: "Status",
      reason: "BadRequest",
      message: "the namespace of the provided object does not match the namespace sent on the request",
    });
  });

  test("generateName produces a unique name with the prefix", async () => {
    const o = sample("AddressGroup", 202).object;
    o.metadata = { namespace: "shop", generateName: "gen-" } as KubeObject["metadata"];
    const a = await s.call("POST", collection("addressgroups"), o);
    const b = await s.call("POST", collection("addressgroups"), o);
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(a.body.metadata.name).toMatch(/^gen-[a-z0-9]{5}$/);
    expect(a.body.metadata.name).not.toBe(b.body.metadata.name);
  });

  test("a body of another kind or apiVersion is a 400", async () => {
    const o = sample("AddressGroup", 203).object;
    const wrongKind = await s.call("POST", collection("services"), o);
    expect(wrongKind.status).toBe(400);
    expect(wrongKind.body.message).toContain("AddressGroup");
    const wrongVersion = await s.call("POST", collection("addressgroups"), { ...o, apiVersion: "v1" });
    expect(wrongVersion.status).toBe(400);
    expect(wrongVersion.body.message).toContain("does not match the expected API version");
    const noKind = await s.call("POST", collection("addressgroups"), { ...o, kind: undefined });
    expect(noKind.status).toBe(400);
  });

  test("malformed JSON is a 400 BadRequest Status", async () => {
    const r = await s.call("POST", collection("services"), '{"apiVersion": "netguard.sgroups.io/v1beta1", "kind": ');
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ kind: "Status", apiVersion: "v1", status: "Failure", reason: "BadRequest", code: 400 });
    const notObject = await s.call("POST", collection("services"), "[1,2]");
    expect(notObject.status).toBe(400);
  });

  test("a YAML body is accepted with Content-Type application/yaml", async () => {
    const yaml = ["apiVersion: netguard.sgroups.io/v1beta1", "kind: AddressGroup", "metadata: {name: from-yaml}", "spec: {defaultAction: DROP}", ""].join("\n");
    const r = await s.call("POST", collection("addressgroups"), yaml, { "content-type": "application/yaml" });
    expect(r.status).toBe(201);
    expect(r.body.spec.defaultAction).toBe("DROP");
  });

  test("POST on the all-namespaces collection is not allowed", async () => {
    const r = await s.call("POST", collection("addressgroups", ""), sample("AddressGroup", 204).object);
    expect(r.status).toBe(405);
    expect(r.body.reason).toBe("MethodNotAllowed");
  });
});

describe("update (PUT)", () => {
  test("replaces the spec with the current resourceVersion and bumps resourceVersion and generation", async () => {
    const live = (await s.call("GET", objectPath("services", "worker"))).body as KubeObject;
    live.spec = { ...live.spec, description: "replaced" };
    const r = await s.call("PUT", `${objectPath("services", "worker")}?fieldManager=kubectl-replace&fieldValidation=Strict`, live);
    expect(r.status).toBe(200);
    expect(r.body.spec.description).toBe("replaced");
    expect(Number(r.body.metadata.resourceVersion)).toBeGreaterThan(Number(live.metadata.resourceVersion));
    expect(r.body.metadata.generation).toBe(live.metadata.generation! + 1);
    expect((await s.call("GET", objectPath("services", "worker"))).body.spec.description).toBe("replaced");
  });

  test("a name in the body that differs from the URL is a 400", async () => {
    const live = (await s.call("GET", objectPath("services", "worker"))).body as KubeObject;
    const r = await s.call("PUT", objectPath("services", "backend"), live);
    expect(r.status).toBe(400);
    expect(r.body.message).toBe("the name of the object (worker) does not match the name on the URL (backend)");
  });

  test("updating an object that does not exist is a 404", async () => {
    const o = sample("AddressGroup", 300).object;
    o.metadata.resourceVersion = "1";
    const r = await s.call("PUT", objectPath("addressgroups", o.metadata.name), o);
    expect(r.status).toBe(404);
    expect(r.body.reason).toBe("NotFound");
  });
});
