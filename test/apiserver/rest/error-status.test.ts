/** Error answers are full metav1.Status bodies that kubectl can format. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { KubeObject } from "../../../src/kinds/model.ts";
import { sample } from "../../helpers/fixtures.ts";
import { collection, objectPath, seedFixtures, startRestStack, type RestStack } from "./rest-harness.ts";

let s: RestStack;
beforeAll(async () => {
  s = await startRestStack();
  await seedFixtures(s);
});
afterAll(() => s.close());

const ref = (kind: string, name: string, namespace = "shop") => ({ apiVersion: "netguard.sgroups.io/v1beta1", kind, name, namespace });

describe("NotFound", () => {
  test("get of a missing object is 404 with the Kubernetes message and details", async () => {
    const r = await s.call("GET", objectPath("services", "nope"));
    expect(r.status).toBe(404);
    expect(r.body).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: 'services.netguard.sgroups.io "nope" not found',
      reason: "NotFound",
      details: { name: "nope", group: "netguard.sgroups.io", kind: "services" },
      code: 404,
    });
  });

  test("delete and patch of a missing object are 404 too", async () => {
    expect((await s.call("DELETE", objectPath("rules2s", "nope"))).body.reason).toBe("NotFound");
    const p = await s.call("PATCH", objectPath("rules2s", "nope"), { spec: {} }, { "content-type": "application/merge-patch+json" });
    expect(p.status).toBe(404);
    expect(p.body.message).toBe('rules2s.netguard.sgroups.io "nope" not found');
  });
});

describe("AlreadyExists", () => {
  test("creating an existing object is 409 AlreadyExists", async () => {
    const live = (await s.call("GET", objectPath("addressgroups", "ag-frontend"))).body as KubeObject;
    const r = await s.call("POST", collection("addressgroups"), { apiVersion: live.apiVersion, kind: live.kind, metadata: { name: "ag-frontend" }, spec: live.spec });
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({
      kind: "Status",
      reason: "AlreadyExists",
      message: 'addressgroups.netguard.sgroups.io "ag-frontend" already exists',
      details: { name: "ag-frontend", kind: "addressgroups", group: "netguard.sgroups.io" },
    });
  });
});

describe("Conflict", () => {
  test("a PUT with a stale resourceVersion is 409 Conflict", async () => {
    const live = (await s.call("GET", objectPath("addressgroups", "ag-backend"))).body as KubeObject;
    const stale = structuredClone(live);
    live.spec!.logs = true;
    expect((await s.call("PUT", objectPath("addressgroups", "ag-backend"), live)).status).toBe(200);
    stale.spec!.trace = true;
    const r = await s.call("PUT", objectPath("addressgroups", "ag-backend"), stale);
    expect(r.status).toBe(409);
    expect(r.body.reason).toBe("Conflict");
    expect(r.body.message).toBe(
      'Operation cannot be fulfilled on addressgroups.netguard.sgroups.io "ag-backend": the object has been modified; please apply your changes to the latest version and try again',
    );
  });

  test("a PUT without resourceVersion is 422 Invalid, as for custom resources", async () => {
    const live = (await s.call("GET", objectPath("addressgroups", "ag-backend"))).body as KubeObject;
    delete live.metadata.resourceVersion;
    const r = await s.call("PUT", objectPath("addressgroups", "ag-backend"), live);
    expect(r.status).toBe(422);
    expect(r.body.reason).toBe("Invalid");
    expect(r.body.details.causes).toEqual([
      { reason: "FieldValueInvalid", field: "metadata.resourceVersion", message: "Invalid value: 0x0: must be specified for an update" },
    ]);
  });

  test("deleting a server-managed object is 409 Conflict with the reason", async () => {
    const r = await s.call("DELETE", objectPath("addressgroupportmappings", "ag-frontend"), { propagationPolicy: "Background" });
    expect(r.status).toBe(409);
    expect(r.body.reason).toBe("Conflict");
    expect(r.body.message).toContain("managed by the server");
    expect((await s.call("GET", objectPath("addressgroupportmappings", "ag-frontend"))).status).toBe(200);
  });
});

describe("Invalid", () => {
  test("a Service port out of range is 422 with a cause per field, and nothing is stored", async () => {
    const o = sample("Service", 1).object;
    o.metadata.name = "bad";
    o.spec!.ingressPorts = [{ protocol: "TCP", port: "99999" }, { protocol: "SCTP", port: "80" }];
    const r = await s.call("POST", `${collection("services")}?fieldManager=kubectl-create&fieldValidation=Strict`, o);
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({ kind: "Status", apiVersion: "v1", status: "Failure", reason: "Invalid", code: 422 });
    expect(r.body.details.kind).toBe("Service");
    expect(r.body.details.name).toBe("bad");
    const fields = r.body.details.causes.map((c: { field: string }) => c.field);
    expect(fields).toEqual(["spec.ingressPorts[0].port", "spec.ingressPorts[1].protocol"]);
    expect(r.body.details.causes[0].message).toContain("99999");
    expect(r.body.details.causes[1].reason).toBe("FieldValueNotSupported");
    expect((await s.call("GET", objectPath("services", "bad"))).status).toBe(404);
  });

  test("a RuleS2S whose serviceRef names kind ServiceAlias (old samples) is 422 on spec.serviceRef.kind", async () => {
    const rule = {
      apiVersion: "netguard.sgroups.io/v1beta1",
      kind: "RuleS2S",
      metadata: { name: "old-style", namespace: "shop" },
      spec: { traffic: "INGRESS", serviceLocalRef: ref("Service", "backend"), serviceRef: ref("ServiceAlias", "frontend-alias") },
    };
    const r = await s.call("POST", collection("rules2s"), rule);
    expect(r.status).toBe(422);
    expect(r.body.details.kind).toBe("RuleS2S");
    expect(r.body.details.causes).toEqual([{ reason: "FieldValueInvalid", field: "spec.serviceRef.kind", message: "kind must be 'Service'" }]);
  });

  test("a value of the wrong JSON type is 422, not a conversion failure", async () => {
    const o = sample("IEAgAgRule", 5).object;
    o.spec!.priority = "high";
    o.metadata.labels = { ok: "yes" };
    (o.metadata as unknown as Record<string, unknown>).generation = "one";
    const r = await s.call("POST", collection("ieagagrules"), o);
    expect(r.status).toBe(422);
    const fields = r.body.details.causes.map((c: { field: string }) => c.field);
    expect(fields).toEqual(expect.arrayContaining(["spec.priority", "metadata.generation"]));
  });

  test("stateful validation in the backend (a missing referenced object) is 422 with causes too", async () => {
    const o = sample("ServiceAlias", 6).object;
    o.spec!.serviceRef = ref("Service", "does-not-exist");
    const r = await s.call("POST", collection("servicealiases"), o);
    expect(r.status).toBe(422);
    expect(r.body.reason).toBe("Invalid");
    expect(r.body.details.causes[0].field).toBe("spec.serviceRef");
  });

  test("an immutable field changed by an update is 422 from the backend", async () => {
    const live = (await s.call("GET", objectPath("rules2s", "frontend-to-backend"))).body as KubeObject;
    live.spec!.traffic = "INGRESS";
    const r = await s.call("PUT", objectPath("rules2s", "frontend-to-backend"), live);
    expect(r.status).toBe(422);
    expect(r.body.details.causes.map((c: { field: string }) => c.field)).toContain("spec.traffic");
  });
});

describe("field validation", () => {
  const withUnknown = (n: number) => {
    const o = sample("AddressGroup", n).object as KubeObject & Record<string, unknown>;
    (o.spec as Record<string, unknown>).foo = 1;
    (o.metadata as unknown as Record<string, unknown>).bar = "x";
    return o;
  };

  test("Strict rejects unknown fields with 400 naming each of them", async () => {
    const o = withUnknown(10);
    const r = await s.call("POST", `${collection("addressgroups")}?fieldValidation=Strict`, o);
    expect(r.status).toBe(400);
    expect(r.body.reason).toBe("BadRequest");
    expect(r.body.message).toBe('strict decoding error: unknown field "metadata.bar", unknown field "spec.foo"');
    expect((await s.call("GET", objectPath("addressgroups", o.metadata.name))).status).toBe(404);
  });

  test("Warn (and no fieldValidation at all) drops unknown fields and answers with Warning headers", async () => {
    for (const [n, query] of [[11, "?fieldValidation=Warn"], [12, ""]] as const) {
      const o = withUnknown(n);
      const r = await s.call("POST", `${collection("addressgroups")}${query}`, o);
      expect(r.status).toBe(201);
      expect(r.body.spec.foo).toBeUndefined();
      expect(r.headers.get("warning")).toBe('299 - "unknown field \\"metadata.bar\\"", 299 - "unknown field \\"spec.foo\\""');
    }
  });

  test("Ignore drops unknown fields silently", async () => {
    const r = await s.call("POST", `${collection("addressgroups")}?fieldValidation=Ignore`, withUnknown(13));
    expect(r.status).toBe(201);
    expect(r.headers.get("warning")).toBeNull();
  });

  test("status and the read-only derived fields are not unknown fields", async () => {
    const live = (await s.call("GET", objectPath("services", "frontend"))).body as KubeObject;
    const copy = {
      ...live,
      metadata: { ...live.metadata, name: "frontend-copy", uid: undefined, resourceVersion: undefined, ownerReferences: [], finalizers: [] },
      spec: { ...live.spec, addressGroups: undefined, ingressPorts: [{ protocol: "UDP", port: "1" }] },
      status: { conditions: [{ type: "Ready", status: "True" }], observedGeneration: 1 },
      xAggregatedAddressGroups: [{ ref: ref("AddressGroup", "ag-frontend"), source: "spec" }],
    };
    const r = await s.call("POST", `${collection("services")}?fieldValidation=Strict`, copy);
    expect(r.status).toBe(201);
  });

  test("unknown fields inside lists are reported with their index", async () => {
    const o = sample("Service", 14).object;
    (o.spec!.ingressPorts as Record<string, unknown>[])[0]!.weight = 3;
    const r = await s.call("POST", `${collection("services")}?fieldValidation=Strict`, o);
    expect(r.body.message).toBe('strict decoding error: unknown field "spec.ingressPorts[0].weight"');
  });

  test("an unsupported fieldValidation value is 422 on the options", async () => {
    const r = await s.call("POST", `${collection("addressgroups")}?fieldValidation=Loud`, sample("AddressGroup", 15).object);
    expect(r.status).toBe(422);
    expect(r.body.details.causes[0].field).toBe("fieldValidation");
  });
});
