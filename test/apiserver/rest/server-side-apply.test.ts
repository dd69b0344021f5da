/**
 * Server-side apply with field ownership, as kube-apiserver's fieldmanager answers: managedFields
 * per manager in FieldsV1, conflicts (409 with one cause per field), force, removal of dropped
 * fields, shared ownership, Update owners from other writes, the status subresource, and no write
 * for an apply that changes nothing. Every test works on objects of its own.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { KubeObject, ManagedFieldsEntry } from "../../../src/kinds/model.ts";
import { collection, objectPath, startRestStack, type RestStack } from "./rest-harness.ts";

const APPLY = { "content-type": "application/apply-patch+yaml" };
const MERGE = { "content-type": "application/merge-patch+json" };
const GV = "netguard.sgroups.io/v1beta1";

let s: RestStack;
beforeAll(async () => {
  s = await startRestStack();
});
afterAll(() => s.close());

const ag = (name: string, spec: Record<string, unknown>, metadata: Record<string, unknown> = {}) => ({
  apiVersion: GV,
  kind: "AddressGroup",
  metadata: { name, namespace: "ssa", ...metadata },
  spec,
});
const path = (name: string) => objectPath("addressgroups", name, "ssa");
const apply = (name: string, manager: string, body: unknown, extra = "") =>
  s.call("PATCH", `${path(name)}?fieldManager=${encodeURIComponent(manager)}${extra}`, body, APPLY);
const get = async (name: string) => (await s.call("GET", path(name))).body as KubeObject;
const entry = (o: KubeObject, manager: string, operation = "Apply") =>
  o.metadata.managedFields?.find((e) => e.manager === manager && e.operation === operation);
const managers = (o: KubeObject) => (o.metadata.managedFields ?? []).map((e: ManagedFieldsEntry) => `${e.manager}/${e.operation}`);

describe("managedFields", () => {
  test("an apply records the applier's fields as an Apply entry in FieldsV1", async () => {
    const r = await apply("mf-apply", "team-a", ag("mf-apply", { defaultAction: "DROP", logs: true }, { labels: { team: "a" } }));
    expect(r.status).toBe(201);
    const e = entry(r.body, "team-a")!;
    expect(e).toMatchObject({ manager: "team-a", operation: "Apply", apiVersion: GV, fieldsType: "FieldsV1" });
    expect(e.fieldsV1).toEqual({ "f:metadata": { "f:labels": { "f:team": {} } }, "f:spec": { "f:defaultAction": {}, "f:logs": {} } });
    expect(e.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(e.subresource).toBeUndefined();
    expect((await get("mf-apply")).metadata.managedFields).toEqual(r.body.metadata.managedFields);
  });

  test("a create records an Update entry, named from the User-Agent when fieldManager is absent", async () => {
    const r = await s.call("POST", collection("addressgroups", "ssa"), ag("mf-create", { defaultAction: "ACCEPT" }, { labels: { x: "1" } }), {
      "user-agent": "netguard-operator/2.1 (linux)",
    });
    expect(r.status).toBe(201);
    expect(r.body.metadata.managedFields).toEqual([
      {
        manager: "netguard-operator",
        operation: "Update",
        apiVersion: GV,
        time: expect.any(String),
        fieldsType: "FieldsV1",
        fieldsV1: { "f:metadata": { "f:labels": { ".": {}, "f:x": {} } }, "f:spec": { ".": {}, "f:defaultAction": {} } },
      },
    ]);
  });

  test("an update takes the fields it changed from their owners", async () => {
    await apply("mf-update", "team-a", ag("mf-update", { defaultAction: "DROP", logs: true }));
    const r = await s.call("PATCH", `${path("mf-update")}?fieldManager=kubectl-edit`, { spec: { logs: false } }, MERGE);
    expect(r.status).toBe(200);
    expect(entry(r.body, "kubectl-edit", "Update")!.fieldsV1).toEqual({ "f:spec": { "f:logs": {} } });
    expect(entry(r.body, "team-a")!.fieldsV1).toEqual({ "f:spec": { "f:defaultAction": {} } });
  });

  test("a PUT with the object's own managedFields keeps them; a status write is filed under the status subresource", async () => {
    const created = await apply("mf-put", "team-a", ag("mf-put", { defaultAction: "DROP" }));
    const body = structuredClone(created.body) as KubeObject;
    body.spec!.logs = true;
    const put = await s.call("PUT", `${path("mf-put")}?fieldManager=kubectl-replace`, body);
    expect(put.status).toBe(200);
    expect(managers(put.body).sort()).toEqual(["kubectl-replace/Update", "team-a/Apply"]);
    const status = await s.call("PATCH", `${path("mf-put")}/status?fieldManager=reviewer`, { status: { conditions: [{ type: "Reviewed", status: "True" }] } }, MERGE);
    expect(status.status).toBe(200);
    const e = entry(status.body, "reviewer", "Update")!;
    expect(e.subresource).toBe("status");
    expect(e.fieldsV1).toEqual({ "f:status": { "f:conditions": {} } });
  });

  test("beyond ten Update managers the oldest merge into ancient-changes", async () => {
    await s.call("POST", collection("addressgroups", "ssa"), ag("mf-cap", { defaultAction: "DROP" }));
    for (let i = 0; i < 12; i++) {
      const r = await s.call("PATCH", `${path("mf-cap")}?fieldManager=labeller-${i}`, { metadata: { labels: { [`l${i}`]: "x" } } }, MERGE);
      expect(r.status).toBe(200);
    }
    const updates = ((await get("mf-cap")).metadata.managedFields ?? []).filter((e) => e.operation === "Update");
    expect(updates).toHaveLength(10);
    expect(updates.map((e) => e.manager)).toContain("ancient-changes");
  });
});

describe("apply semantics", () => {
  test("changing a field another manager owns is a 409 Conflict with one cause per field", async () => {
    await apply("conflict", "team-a", ag("conflict", { defaultAction: "DROP", logs: true }));
    const one = await apply("conflict", "team-b", ag("conflict", { logs: false }));
    expect(one.status).toBe(409);
    expect(one.body).toMatchObject({ kind: "Status", status: "Failure", reason: "Conflict", code: 409 });
    expect(one.body.message).toBe('Apply failed with 1 conflict: conflict with "team-a": .spec.logs');
    expect(one.body.details.causes).toEqual([{ reason: "FieldManagerConflict", message: 'conflict with "team-a"', field: ".spec.logs" }]);

    const two = await apply("conflict", "team-b", ag("conflict", { defaultAction: "ACCEPT", logs: false }));
    expect(two.status).toBe(409);
    expect(two.body.message).toBe('Apply failed with 2 conflicts: conflicts with "team-a":\n- .spec.defaultAction\n- .spec.logs');
    expect(two.body.details.causes.map((c: { field: string }) => c.field)).toEqual([".spec.defaultAction", ".spec.logs"]);
    expect((await get("conflict")).spec).toEqual({ defaultAction: "DROP", logs: true });
  });

  test("a conflict with an Update owner names its apiVersion", async () => {
    await s.call("POST", `${collection("addressgroups", "ssa")}?fieldManager=kubectl-create`, ag("conflict-update", { defaultAction: "DROP" }));
    const r = await apply("conflict-update", "team-a", ag("conflict-update", { defaultAction: "ACCEPT" }));
    expect(r.status).toBe(409);
    expect(r.body.message).toBe(`Apply failed with 1 conflict: conflict with "kubectl-create" using ${GV}: .spec.defaultAction`);
  });

  test("force=true wins the conflict and moves ownership", async () => {
    await apply("force", "team-a", ag("force", { defaultAction: "DROP", logs: true }));
    const r = await apply("force", "team-b", ag("force", { logs: false }), "&force=true");
    expect(r.status).toBe(200);
    expect(r.body.spec).toEqual({ defaultAction: "DROP", logs: false });
    expect(entry(r.body, "team-a")!.fieldsV1).toEqual({ "f:spec": { "f:defaultAction": {} } });
    expect(entry(r.body, "team-b")!.fieldsV1).toEqual({ "f:spec": { "f:logs": {} } });
    // the previous owner now conflicts with the new one
    const back = await apply("force", "team-a", ag("force", { defaultAction: "DROP", logs: true }));
    expect(back.status).toBe(409);
    expect(back.body.details.causes[0]).toMatchObject({ field: ".spec.logs", message: 'conflict with "team-b"' });
  });

  test("a field the manager stops applying is removed", async () => {
    await apply("drop", "team-a", ag("drop", { defaultAction: "DROP", logs: true }, { labels: { keep: "1", gone: "1" } }));
    const r = await apply("drop", "team-a", ag("drop", { defaultAction: "DROP" }, { labels: { keep: "1" } }));
    expect(r.status).toBe(200);
    expect(r.body.spec).toEqual({ defaultAction: "DROP" });
    expect(r.body.metadata.labels).toEqual({ keep: "1" });
    expect(entry(r.body, "team-a")!.fieldsV1).toEqual({ "f:metadata": { "f:labels": { "f:keep": {} } }, "f:spec": { "f:defaultAction": {} } });
  });

  test("the same value is shared ownership: no conflict, and the field stays while one owner still applies it", async () => {
    await apply("shared", "team-a", ag("shared", { defaultAction: "DROP", logs: true }));
    const both = await apply("shared", "team-b", ag("shared", { logs: true }));
    expect(both.status).toBe(200);
    expect(entry(both.body, "team-a")!.fieldsV1).toEqual({ "f:spec": { "f:defaultAction": {}, "f:logs": {} } });
    expect(entry(both.body, "team-b")!.fieldsV1).toEqual({ "f:spec": { "f:logs": {} } });
    const r = await apply("shared", "team-a", ag("shared", { defaultAction: "DROP" }));
    expect(r.status).toBe(200);
    expect(r.body.spec).toEqual({ defaultAction: "DROP", logs: true });
    // and a field nobody applies any more is gone
    const last = await apply("shared", "team-b", ag("shared", {}));
    expect(last.body.spec).toEqual({ defaultAction: "DROP" });
  });

  test("a field set by an Update is not removed when an applier drops it", async () => {
    await apply("updated", "team-a", ag("updated", { defaultAction: "DROP" }));
    await s.call("PATCH", `${path("updated")}?fieldManager=kubectl-label`, { metadata: { labels: { env: "dev" } } }, MERGE);
    const r = await apply("updated", "team-a", ag("updated", { defaultAction: "DROP", logs: true }));
    expect(r.body.metadata.labels).toEqual({ env: "dev" });
  });

  test("applying the same configuration twice writes nothing: same resourceVersion and managedFields", async () => {
    const cfg = ag("twice", { defaultAction: "DROP", logs: true }, { labels: { a: "b" } });
    const first = await apply("twice", "team-a", cfg);
    const second = await apply("twice", "team-a", cfg);
    expect(second.status).toBe(200);
    expect(second.body.metadata.resourceVersion).toBe(first.body.metadata.resourceVersion);
    expect(second.body.metadata.managedFields).toEqual(first.body.metadata.managedFields);
  });

  test("a status apply owns status fields under the status subresource entry", async () => {
    await apply("status-apply", "team-a", ag("status-apply", { defaultAction: "DROP" }));
    const cfg = { apiVersion: GV, kind: "AddressGroup", metadata: { name: "status-apply", namespace: "ssa" }, status: { conditions: [{ type: "Reviewed", status: "True" }] } };
    const r = await s.call("PATCH", `${path("status-apply")}/status?fieldManager=reviewer`, cfg, APPLY);
    expect(r.status).toBe(200);
    const e = entry(r.body, "reviewer")!;
    expect(e).toMatchObject({ operation: "Apply", subresource: "status", fieldsV1: { "f:status": { "f:conditions": {} } } });
    expect(r.body.status.conditions.map((c: { type: string }) => c.type)).toContain("Reviewed");
    // the object's own appliers are untouched
    expect(entry(r.body, "team-a")!.fieldsV1).toEqual({ "f:spec": { "f:defaultAction": {} } });
  });

  test("kubectl's manager takes over fields client-side apply set without a conflict", async () => {
    const manifest = ag("upgrade", { defaultAction: "DROP", logs: true });
    const csa = structuredClone(manifest) as ReturnType<typeof ag> & { metadata: Record<string, unknown> };
    csa.metadata.annotations = { "kubectl.kubernetes.io/last-applied-configuration": `${JSON.stringify({ ...manifest, metadata: { ...manifest.metadata, annotations: {} } })}\n` };
    await s.call("POST", `${collection("addressgroups", "ssa")}?fieldManager=kubectl-client-side-apply`, csa);
    const r = await apply("upgrade", "kubectl", ag("upgrade", { defaultAction: "DROP", logs: false }));
    expect(r.status).toBe(200);
    expect(r.body.spec.logs).toBe(false);
    // the annotation follows what kubectl applied, so a later client-side apply diffs correctly
    const last = JSON.parse(r.body.metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"]);
    expect(last.spec).toEqual({ defaultAction: "DROP", logs: false });
    // another manager gets no such pass
    const other = await apply("upgrade", "argocd-controller", ag("upgrade", { defaultAction: "ACCEPT" }));
    expect(other.status).toBe(409);
  });
});

describe("bad input", () => {
  test("fieldManager is required for apply, at most 128 bytes and printable", async () => {
    const none = await s.call("PATCH", path("bad-manager"), ag("bad-manager", {}), APPLY);
    expect(none.status).toBe(422);
    const long = await apply("bad-manager", "m".repeat(129), ag("bad-manager", { defaultAction: "DROP" }));
    expect(long.status).toBe(422);
    expect(long.body.details.causes).toEqual([{ reason: "FieldValueTooLong", field: "fieldManager", message: "Too long: may not be more than 128 bytes" }]);
    const ctl = await s.call("POST", `${collection("addressgroups", "ssa")}?fieldManager=a%01b`, ag("bad-manager", { defaultAction: "DROP" }));
    expect(ctl.status).toBe(422);
    expect(ctl.body.details.causes[0]).toMatchObject({ reason: "FieldValueInvalid", field: "fieldManager" });
    expect(ctl.body.message).toContain("invalid character U+0001 (at position 1)");
  });

  test("managedFields in an applied configuration is a 400", async () => {
    const r = await apply("bad-mf", "team-a", ag("bad-mf", { defaultAction: "DROP" }, { managedFields: [] }));
    expect(r.status).toBe(400);
    expect(r.body.message).toBe("metadata.managedFields must be nil");
  });

  test("malformed managedFields in an update are ignored in favour of the live ones", async () => {
    const created = await apply("bad-put", "team-a", ag("bad-put", { defaultAction: "DROP" }));
    const body = structuredClone(created.body) as KubeObject & { metadata: { managedFields: unknown } };
    body.metadata.managedFields = [{ manager: "x", operation: "Delete", fieldsType: "FieldsV1", fieldsV1: { "f:__proto__": { "k:{}": {} } } }];
    const r = await s.call("PUT", `${path("bad-put")}?fieldManager=kubectl-replace`, body);
    expect(r.status).toBe(200);
    expect(managers(r.body)).toEqual(["team-a/Apply"]);
  });

  test("__proto__ and constructor keys are data, never prototypes", async () => {
    const cfg = JSON.parse(
      `{"apiVersion":"${GV}","kind":"AddressGroup","metadata":{"name":"proto","namespace":"ssa","labels":{"constructor":"y"}},"spec":{"defaultAction":"DROP","__proto__":{"polluted":true}}}`,
    );
    const r = await apply("proto", "team-a", cfg, "&fieldValidation=Ignore");
    expect(r.status).toBe(201);
    expect(r.body.metadata.labels).toEqual({ constructor: "y" });
    // the unknown spec.__proto__ was dropped before ownership was computed
    expect(entry(r.body, "team-a")!.fieldsV1).toEqual({ "f:metadata": { "f:labels": { "f:constructor": {} } }, "f:spec": { "f:defaultAction": {} } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const strict = await apply("proto", "team-a", cfg, "&fieldValidation=Strict");
    expect(strict.status).toBe(400);
  });
});
