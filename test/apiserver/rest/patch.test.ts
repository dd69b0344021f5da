/** PATCH: merge patch, JSON patch, server-side apply, and what is refused. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { KubeObject } from "../../../src/kinds/model.ts";
import { sample } from "../../helpers/fixtures.ts";
import { collection, objectPath, seedFixtures, startRestStack, type RestStack } from "./rest-harness.ts";

const MERGE = { "content-type": "application/merge-patch+json" };
const JSONP = { "content-type": "application/json-patch+json" };
const APPLY = { "content-type": "application/apply-patch+yaml" };

let s: RestStack;
beforeAll(async () => {
  s = await startRestStack();
  await seedFixtures(s);
});
afterAll(() => s.close());

const get = async (plural: string, name: string, ns = "shop") => (await s.call("GET", objectPath(plural, name, ns))).body as KubeObject;

describe("merge patch (RFC 7386)", () => {
  test("merges maps, replaces lists and deletes keys set to null", async () => {
    const path = `${objectPath("services", "backend")}?fieldManager=kubectl-client-side-apply&fieldValidation=Strict`;
    const r = await s.call(
      "PATCH",
      path,
      { metadata: { labels: { tier: null, env: "dev" } }, spec: { description: null, ingressPorts: [{ protocol: "TCP", port: "8443" }] } },
      MERGE,
    );
    expect(r.status).toBe(200);
    expect(r.body.metadata.labels).toEqual({ env: "dev" });
    expect(r.body.spec.description).toBeUndefined();
    expect(r.body.spec.ingressPorts).toEqual([{ protocol: "TCP", port: "8443" }]);
    expect(r.body.spec.addressGroups).toHaveLength(1);
    expect((await get("services", "backend")).spec!.ingressPorts).toEqual([{ protocol: "TCP", port: "8443" }]);
  });

  test("label and annotate style patches keep the spec", async () => {
    const before = await get("addressgroups", "ag-worker");
    const r = await s.call("PATCH", `${objectPath("addressgroups", "ag-worker")}?fieldManager=kubectl-label`, { metadata: { labels: { team: "a" } } }, MERGE);
    expect(r.body.metadata.labels).toEqual({ team: "a" });
    expect(r.body.spec).toEqual(before.spec);
    expect(r.body.metadata.generation).toBe(before.metadata.generation);
  });

  test("a resourceVersion in the patch is a precondition: stale → 409, current → applied", async () => {
    const live = await get("addressgroups", "ag-worker");
    const stale = await s.call("PATCH", objectPath("addressgroups", "ag-worker"), { metadata: { resourceVersion: "1" }, spec: { logs: true } }, MERGE);
    expect(stale.status).toBe(409);
    expect(stale.body.reason).toBe("Conflict");
    expect((await get("addressgroups", "ag-worker")).spec!.logs).toBeUndefined();
    const ok = await s.call("PATCH", objectPath("addressgroups", "ag-worker"), { metadata: { resourceVersion: live.metadata.resourceVersion }, spec: { logs: true } }, MERGE);
    expect(ok.status).toBe(200);
    expect(ok.body.spec.logs).toBe(true);
  });

  test("an invalid result is 422 and unknown fields follow fieldValidation", async () => {
    const bad = await s.call("PATCH", objectPath("addressgroups", "ag-worker"), { spec: { defaultAction: "MAYBE" } }, MERGE);
    expect(bad.status).toBe(422);
    expect(bad.body.details.causes[0]).toMatchObject({ field: "spec.defaultAction", reason: "FieldValueNotSupported" });
    const strict = await s.call("PATCH", `${objectPath("addressgroups", "ag-worker")}?fieldValidation=Strict`, { spec: { color: "red" } }, MERGE);
    expect(strict.status).toBe(400);
    expect(strict.body.message).toBe('strict decoding error: unknown field "spec.color"');
  });

  test("renaming through a patch is a 400", async () => {
    const r = await s.call("PATCH", objectPath("addressgroups", "ag-worker"), { metadata: { name: "other" } }, MERGE);
    expect(r.status).toBe(400);
  });

  test("malformed patch bodies are 400", async () => {
    expect((await s.call("PATCH", objectPath("addressgroups", "ag-worker"), "{nope", MERGE)).status).toBe(400);
    expect((await s.call("PATCH", objectPath("addressgroups", "ag-worker"), "[1]", MERGE)).status).toBe(400);
  });
});

describe("JSON patch (RFC 6902)", () => {
  test("applies add, replace, remove, copy, move and test in order", async () => {
    const ops = [
      { op: "test", path: "/spec/defaultAction", value: "DROP" },
      { op: "add", path: "/metadata/labels", value: { "example.com/team": "1" } },
      { op: "copy", from: "/metadata/labels/example.com~1team", path: "/metadata/labels/copied" },
      { op: "move", from: "/metadata/labels/copied", path: "/metadata/labels/moved" },
      { op: "replace", path: "/spec/defaultAction", value: "ACCEPT" },
      { op: "add", path: "/spec/trace", value: true },
      { op: "remove", path: "/spec/logs" },
    ];
    const r = await s.call("PATCH", `${objectPath("addressgroups", "ag-shared-db", "infra")}?fieldManager=kubectl-patch`, ops, JSONP);
    expect(r.status).toBe(200);
    expect(r.body.metadata.labels).toEqual({ "example.com/team": "1", moved: "1" });
    expect(r.body.spec).toEqual({ defaultAction: "ACCEPT", trace: true });
  });

  test("list elements are addressed by index and '-' appends", async () => {
    const ops = [
      { op: "add", path: "/spec/ingressPorts/-", value: { protocol: "UDP", port: "53" } },
      { op: "replace", path: "/spec/ingressPorts/0/port", value: "9001" },
    ];
    const r = await s.call("PATCH", objectPath("services", "worker"), ops, JSONP);
    expect(r.status).toBe(200);
    expect(r.body.spec.ingressPorts).toEqual([{ protocol: "TCP", port: "9001" }, { protocol: "UDP", port: "53" }]);
  });

  test("a failed test operation is 422 and changes nothing", async () => {
    const before = await get("services", "worker");
    const r = await s.call("PATCH", objectPath("services", "worker"), [{ op: "test", path: "/spec/description", value: "x" }, { op: "add", path: "/spec/description", value: "y" }], JSONP);
    expect(r.status).toBe(422);
    expect(r.body.kind).toBe("Status");
    expect((await get("services", "worker")).metadata.resourceVersion).toBe(before.metadata.resourceVersion);
  });

  test("a path that does not exist is 422, a malformed operation is 400", async () => {
    const missing = await s.call("PATCH", objectPath("services", "worker"), [{ op: "remove", path: "/spec/nothing" }], JSONP);
    expect(missing.status).toBe(422);
    const malformed = await s.call("PATCH", objectPath("services", "worker"), [{ op: "jump", path: "/spec" }], JSONP);
    expect(malformed.status).toBe(400);
    const notArray = await s.call("PATCH", objectPath("services", "worker"), { op: "add" }, JSONP);
    expect(notArray.status).toBe(400);
  });
});

describe("server-side apply", () => {
  const manifest = (name: string, extra: Record<string, unknown> = {}) => ({
    apiVersion: "netguard.sgroups.io/v1beta1",
    kind: "AddressGroup",
    metadata: { name, namespace: "prod" },
    spec: { defaultAction: "DROP", ...extra },
  });

  test("creates the object when it does not exist (201), then merges later applies into it (200)", async () => {
    const url = `${objectPath("addressgroups", "applied", "prod")}?fieldManager=kubectl&fieldValidation=Strict&force=false`;
    const created = await s.call("PATCH", url, manifest("applied"), APPLY);
    expect(created.status).toBe(201);
    expect(created.body.spec).toEqual({ defaultAction: "DROP" });
    const updated = await s.call("PATCH", url, manifest("applied", { logs: true }), APPLY);
    expect(updated.status).toBe(200);
    expect(updated.body.spec).toEqual({ defaultAction: "DROP", logs: true });
    expect(updated.body.metadata.uid).toBe(created.body.metadata.uid);
  });

  test("accepts a YAML body and kubectl's follow-up apply of the last-applied annotation alone", async () => {
    const url = `${objectPath("addressgroups", "yaml-applied", "prod")}?fieldManager=kubectl&force=false`;
    const yaml = "apiVersion: netguard.sgroups.io/v1beta1\nkind: AddressGroup\nmetadata:\n  name: yaml-applied\nspec:\n  defaultAction: ACCEPT\n";
    expect((await s.call("PATCH", url, yaml, APPLY)).status).toBe(201);
    const annotation = { "kubectl.kubernetes.io/last-applied-configuration": '{"kind":"AddressGroup"}\n' };
    const body = { apiVersion: "netguard.sgroups.io/v1beta1", kind: "AddressGroup", metadata: { name: "yaml-applied", namespace: "prod", annotations: annotation } };
    const r = await s.call("PATCH", `${objectPath("addressgroups", "yaml-applied", "prod")}?fieldManager=kubectl-last-applied`, body, APPLY);
    expect(r.status).toBe(200);
    expect(r.body.metadata.annotations).toEqual(annotation);
    expect(r.body.spec.defaultAction).toBe("ACCEPT");
  });

  test("needs a fieldManager, apiVersion and kind", async () => {
    const url = objectPath("addressgroups", "needs-manager", "prod");
    const noManager = await s.call("PATCH", url, manifest("needs-manager"), APPLY);
    expect(noManager.status).toBe(422);
    expect(noManager.body.details.causes[0].field).toBe("fieldManager");
    const noKind = await s.call("PATCH", `${url}?fieldManager=x`, { metadata: { name: "needs-manager" }, spec: {} }, APPLY);
    expect(noKind.status).toBe(400);
  });

  test("an invalid applied configuration creates nothing", async () => {
    const url = `${objectPath("addressgroups", "bad-apply", "prod")}?fieldManager=kubectl`;
    const r = await s.call("PATCH", url, manifest("bad-apply", { defaultAction: "NONE" }), APPLY);
    expect(r.status).toBe(422);
    expect((await s.call("GET", objectPath("addressgroups", "bad-apply", "prod"))).status).toBe(404);
  });
});

describe("refused patch types and options", () => {
  test("strategic merge patch is 415 UnsupportedMediaType with a Status", async () => {
    const r = await s.call("PATCH", objectPath("services", "worker"), { spec: { description: "x" } }, { "content-type": "application/strategic-merge-patch+json" });
    expect(r.status).toBe(415);
    expect(r.body).toMatchObject({ kind: "Status", apiVersion: "v1", reason: "UnsupportedMediaType", code: 415 });
    expect(r.body.message).toContain("application/merge-patch+json");
  });

  test("force on a non-apply patch is 422", async () => {
    const r = await s.call("PATCH", `${objectPath("services", "worker")}?force=true`, { spec: {} }, MERGE);
    expect(r.status).toBe(422);
    expect(r.body.details.causes[0].field).toBe("force");
  });
});

describe("patches on every kind", () => {
  test("a label merge patch works for each kind", async () => {
    const targets: [string, string, string][] = [
      ["services", "frontend", "shop"],
      ["addressgroups", "ag-frontend", "shop"],
      ["addressgroupbindings", "worker-in-ag-worker", "shop"],
      ["rules2s", "frontend-to-backend", "shop"],
      ["servicealiases", "frontend-alias", "shop"],
      ["addressgroupbindingpolicies", "allow-billing-into-shared-db", "infra"],
      ["ieagagrules", "worker-ssh-block", "shop"],
    ];
    for (const [plural, name, ns] of targets) {
      const r = await s.call("PATCH", `${objectPath(plural, name, ns)}?fieldValidation=Strict`, { metadata: { labels: { patched: "yes" } } }, MERGE);
      expect({ plural, status: r.status }).toEqual({ plural, status: 200 });
      expect(r.body.metadata.labels.patched).toBe("yes");
    }
  });

  test("an AddressGroupPortMapping can be patched too: labels and annotations change, accessPorts stays the server's", async () => {
    // the mapping is created by the server with its AddressGroup (clients cannot create one)
    const { needs, object } = sample("AddressGroupPortMapping", 1);
    for (const o of needs) expect((await s.call("POST", collection("addressgroups", o.metadata.namespace), o)).status).toBe(201);
    const path = objectPath("addressgroupportmappings", object.metadata.name);
    const r = await s.call("PATCH", `${path}?fieldValidation=Strict`, { metadata: { labels: { patched: "yes" }, annotations: { a: "b" } } }, MERGE);
    expect(r.status).toBe(200);
    expect(r.body.metadata.labels).toEqual({ patched: "yes" });
    expect(r.body.metadata.annotations).toEqual({ a: "b" });

    // accessPorts is read-only (derived from the group's Services): a patch of it is ignored — the
    // answer is the unchanged object and nothing is written (no new resourceVersion), the same
    // treatment as status sent to the main resource.
    const fixture = await get("addressgroupportmappings", "ag-frontend");
    expect(fixture.accessPorts).toEqual({
      items: [{ apiVersion: "netguard.sgroups.io/v1beta1", kind: "Service", name: "frontend", namespace: "shop", ports: { TCP: [{ port: "80" }, { port: "443" }] } }],
    });
    const forged = { items: [{ apiVersion: "netguard.sgroups.io/v1beta1", kind: "Service", name: "frontend", namespace: "shop", ports: { TCP: [{ port: "1234" }] } }] };
    for (const [body, type] of [
      [{ accessPorts: forged }, MERGE],
      [{ accessPorts: null }, MERGE],
      [[{ op: "replace", path: "/accessPorts", value: forged }], JSONP],
      [{ apiVersion: "netguard.sgroups.io/v1beta1", kind: "AddressGroupPortMapping", metadata: { name: "ag-frontend" }, accessPorts: forged }, APPLY],
    ] as const) {
      const w = await s.call("PATCH", `${objectPath("addressgroupportmappings", "ag-frontend")}?fieldManager=kubectl&fieldValidation=Strict`, body, type);
      expect({ type: type["content-type"], status: w.status }).toEqual({ type: type["content-type"], status: 200 });
      expect(w.body.accessPorts).toEqual(fixture.accessPorts);
      expect(w.body.metadata.resourceVersion).toBe(fixture.metadata.resourceVersion);
    }
    expect(await get("addressgroupportmappings", "ag-frontend")).toEqual(fixture);

    // and a mapping cannot be deleted on its own: a 409 Conflict saying why
    const del = await s.call("DELETE", path);
    expect(del.status).toBe(409);
    expect(del.body).toMatchObject({ kind: "Status", reason: "Conflict", code: 409, details: { kind: "addressgroupportmappings", name: object.metadata.name } });
    expect(del.body.message).toContain("is managed by the server: it is deleted with its AddressGroup");
    expect((await s.call("GET", path)).status).toBe(200);
    // it goes with its AddressGroup
    expect((await s.call("DELETE", objectPath("addressgroups", needs[0]!.metadata.name))).status).toBe(200);
    expect((await s.call("GET", path)).status).toBe(404);
  });

});
