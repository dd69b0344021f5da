/**
 * The status subresource: GET, PUT and PATCH change status only. Since the derive step, the
 * conditions `Ready`, `Validated`, `Synced`, `Error`, `status.observedGeneration` and the
 * kind-specific derived status fields (RuleS2S `ieAgAgRuleRefs`) belong to the server: a client's
 * values for them are ignored, while condition types of the client's own (here `Reviewed`) are
 * stored and returned verbatim after the managed ones (src/backend/derive/README.md).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { KubeObject } from "../../../src/kinds/model.ts";
import { objectPath, seedFixtures, startRestStack, type RestStack } from "./rest-harness.ts";

let s: RestStack;
beforeAll(async () => {
  s = await startRestStack();
  await seedFixtures(s);
});
afterAll(() => s.close());

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
}

const MERGE = { "content-type": "application/merge-patch+json" };
const MANAGED = ["Ready", "Validated", "Synced", "Error"];
/** A condition type of the client's own: it round-trips. */
const reviewed: Condition = { type: "Reviewed", status: "True", reason: "LooksGood", message: "checked by a human", lastTransitionTime: "2025-01-01T00:00:00Z", observedGeneration: 1 };
/** A client's attempt to overwrite the server-owned Ready condition: ignored. */
const fakeReady: Condition = { type: "Ready", status: "False", reason: "NotReady", message: "set by a client", lastTransitionTime: "2025-01-01T00:00:00Z", observedGeneration: 1 };

const conditionsOf = (o: { status?: Record<string, unknown> }) => (o.status?.conditions ?? []) as Condition[];
const managedOf = (o: { status?: Record<string, unknown> }) => conditionsOf(o).filter((c) => MANAGED.includes(c.type));
const find = (o: { status?: Record<string, unknown> }, type: string) => conditionsOf(o).find((c) => c.type === type);

async function get(plural: string, name: string): Promise<KubeObject> {
  const r = await s.call("GET", objectPath(plural, name));
  expect(r.status).toBe(200);
  return r.body as KubeObject;
}

describe("status subresource", () => {
  test("PUT .../status writes status and ignores spec and label changes in the body", async () => {
    const live = (await s.call("GET", `${objectPath("services", "frontend")}/status`)).body as KubeObject;
    expect(find(live, "Ready")?.status).toBe("True");
    const body = structuredClone(live);
    body.status = { conditions: [fakeReady, reviewed], observedGeneration: 42 };
    body.spec!.description = "ignored";
    body.metadata.labels = { ignored: "yes" };
    const r = await s.call("PUT", `${objectPath("services", "frontend")}/status`, body);
    expect(r.status).toBe(200);
    // the client's own condition type is stored verbatim, after the server's conditions
    expect(conditionsOf(r.body).at(-1)).toEqual(reviewed);
    // the server-owned conditions and observedGeneration are not the client's to write
    expect(managedOf(r.body)).toEqual(managedOf(live));
    expect(find(r.body, "Ready")).toMatchObject({ status: "True", reason: "Ready" });
    expect(r.body.status.observedGeneration).toBe(live.metadata.generation);
    // nothing outside status changes
    expect(r.body.spec.description).toBe("storefront UI");
    expect(r.body.metadata.labels).toEqual({ tier: "web" });
    expect(r.body.metadata.generation).toBe(live.metadata.generation);
    expect(Number(r.body.metadata.resourceVersion)).toBeGreaterThan(Number(live.metadata.resourceVersion));
    const again = await get("services", "frontend");
    expect(again.status).toEqual(r.body.status);
  });

  test("PUT .../status needs the resourceVersion and rejects a stale one", async () => {
    const live = (await s.call("GET", objectPath("services", "backend"))).body as KubeObject;
    const missing = structuredClone(live);
    delete missing.metadata.resourceVersion;
    missing.status = { conditions: [reviewed] };
    expect((await s.call("PUT", `${objectPath("services", "backend")}/status`, missing)).status).toBe(422);
    const stale = structuredClone(live);
    stale.metadata.resourceVersion = "1";
    stale.status = { conditions: [reviewed] };
    const r = await s.call("PUT", `${objectPath("services", "backend")}/status`, stale);
    expect(r.status).toBe(409);
  });

  test("PATCH .../status with a merge patch changes status only", async () => {
    const live = await get("rules2s", "frontend-to-backend");
    const patch = { status: { conditions: [fakeReady, { ...reviewed, status: "False", reason: "NeedsWork" }] }, spec: { trace: false } };
    const r = await s.call("PATCH", `${objectPath("rules2s", "frontend-to-backend")}/status`, patch, MERGE);
    expect(r.status).toBe(200);
    expect(find(r.body, "Reviewed")).toEqual({ ...reviewed, status: "False", reason: "NeedsWork" });
    expect(find(r.body, "Ready")).toMatchObject({ status: "True", reason: "Ready" }); // not the patch's False
    expect(managedOf(r.body)).toEqual(managedOf(live));
    expect(r.body.spec.trace).toBe(true); // unchanged from the fixture (trace: true), not from the patch
    const other = await s.call("PATCH", `${objectPath("rules2s", "backend-from-frontend")}/status`, { ...patch, spec: { trace: true } }, MERGE);
    expect(other.status).toBe(200);
    expect(other.body.spec.trace).toBeUndefined(); // the fixture has no trace; the patch's is ignored
    expect(find(other.body, "Reviewed")?.reason).toBe("NeedsWork");
  });

  test("kind-specific status fields are server-derived: RuleS2S ieAgAgRuleRefs cannot be written through status", async () => {
    const live = await get("rules2s", "frontend-to-backend");
    const refs = live.status?.ieAgAgRuleRefs as { kind: string; name: string; namespace: string }[];
    // derived: the generated IEAgAgRules this rule contributes to, each of which exists
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      expect(ref.kind).toBe("IEAgAgRule");
      const rule = await get("ieagagrules", ref.name);
      expect(rule.metadata.labels?.["netguard.sgroups.io/generated-from"]).toBe("RuleS2S");
    }
    const bogus = [{ apiVersion: "netguard.sgroups.io/v1beta1", kind: "IEAgAgRule", name: "generated", namespace: "shop" }];
    for (const op of [
      [{ op: "replace", path: "/status/ieAgAgRuleRefs", value: bogus }],
      [{ op: "remove", path: "/status/ieAgAgRuleRefs" }],
    ]) {
      const r = await s.call("PATCH", `${objectPath("rules2s", "frontend-to-backend")}/status`, op, { "content-type": "application/json-patch+json" });
      expect(r.status).toBe(200);
      expect(r.body.status.ieAgAgRuleRefs).toEqual(refs);
      // an ignored field is no change at all: the write is a no-op
      expect(r.body.metadata.resourceVersion).toBe(live.metadata.resourceVersion);
    }
    expect((await get("rules2s", "frontend-to-backend")).status?.ieAgAgRuleRefs).toEqual(refs);
  });

  test("a status of the wrong shape is 422", async () => {
    const r = await s.call("PATCH", `${objectPath("services", "worker")}/status`, { status: { conditions: "Ready" } }, MERGE);
    expect(r.status).toBe(422);
    expect(r.body.details.causes[0].field).toBe("status.conditions");
    const enumBad = await s.call("PATCH", `${objectPath("services", "worker")}/status`, { status: { conditions: [{ type: "Ready", status: "Yes" }] } }, MERGE);
    expect(enumBad.status).toBe(422);
    expect(enumBad.body.details.causes[0].field).toBe("status.conditions[0].status");
  });

  test("server-side apply on status merges status into an existing object", async () => {
    const live = await get("addressgroups", "ag-backend");
    const body = { apiVersion: "netguard.sgroups.io/v1beta1", kind: "AddressGroup", metadata: { name: "ag-backend" }, status: { conditions: [fakeReady, reviewed] } };
    const r = await s.call("PATCH", `${objectPath("addressgroups", "ag-backend")}/status?fieldManager=controller`, body, { "content-type": "application/apply-patch+yaml" });
    expect(r.status).toBe(200);
    expect(managedOf(r.body)).toEqual(managedOf(live));
    expect(conditionsOf(r.body).at(-1)).toEqual(reviewed);
    // the rest of the object is the live one
    expect(r.body.spec).toEqual(live.spec);
    expect(r.body.status.addressGroupName).toBe("shop/ag-backend");
    expect((await get("addressgroups", "ag-backend")).status).toEqual(r.body.status);
  });
});
