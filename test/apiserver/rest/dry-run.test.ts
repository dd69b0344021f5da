/** dryRun=All (kubectl --dry-run=server): every write answers as if it happened and stores nothing. */
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

/** Runs `write` and checks that the backend's resourceVersion did not move. */
async function storesNothing(write: () => Promise<{ status: number; body: any }>, status: number) {
  const before = s.backend.engine.currentRv;
  const r = await write();
  expect(r.status).toBe(status);
  expect(s.backend.engine.currentRv).toBe(before);
  return r;
}

describe("dryRun=All", () => {
  test("create answers 201 with the would-be object and stores nothing", async () => {
    const o = sample("Service", 1).object;
    const r = await storesNothing(() => s.call("POST", `${collection("services")}?dryRun=All&fieldManager=kubectl-client-side-apply`, o), 201);
    expect(r.body.metadata.name).toBe(o.metadata.name);
    expect(r.body.metadata.uid).toBeTruthy();
    expect((await s.call("GET", objectPath("services", o.metadata.name))).status).toBe(404);
  });

  test("create still validates", async () => {
    const o = sample("Service", 2).object;
    o.spec!.ingressPorts = [{ protocol: "TCP", port: "99999" }];
    await storesNothing(() => s.call("POST", `${collection("services")}?dryRun=All`, o), 422);
  });

  test("update, merge patch, JSON patch and apply store nothing", async () => {
    const live = (await s.call("GET", objectPath("services", "worker"))).body as KubeObject;
    live.spec!.description = "dry";
    const put = await storesNothing(() => s.call("PUT", `${objectPath("services", "worker")}?dryRun=All`, live), 200);
    expect(put.body.spec.description).toBe("dry");
    await storesNothing(() => s.call("PATCH", `${objectPath("services", "worker")}?dryRun=All`, { spec: { description: "dry" } }, { "content-type": "application/merge-patch+json" }), 200);
    await storesNothing(
      () => s.call("PATCH", `${objectPath("services", "worker")}?dryRun=All`, [{ op: "add", path: "/spec/description", value: "dry" }], { "content-type": "application/json-patch+json" }),
      200,
    );
    const applied = { apiVersion: "netguard.sgroups.io/v1beta1", kind: "AddressGroup", metadata: { name: "dry-applied" }, spec: { defaultAction: "DROP" } };
    await storesNothing(() => s.call("PATCH", `${objectPath("addressgroups", "dry-applied")}?dryRun=All&fieldManager=kubectl`, applied, { "content-type": "application/apply-patch+yaml" }), 201);
    expect((await s.call("GET", objectPath("addressgroups", "dry-applied"))).status).toBe(404);
    expect((await s.call("GET", objectPath("services", "worker"))).body.spec.description).toBeUndefined();
  });

  test("delete (query parameter or DeleteOptions.dryRun) and deletecollection store nothing", async () => {
    const r = await storesNothing(() => s.call("DELETE", `${objectPath("ieagagrules", "worker-ssh-block")}?dryRun=All`), 200);
    expect(r.body.metadata.name).toBe("worker-ssh-block");
    await storesNothing(() => s.call("DELETE", objectPath("ieagagrules", "worker-ssh-block"), { dryRun: ["All"] }), 200);
    // the hand-written fixture rule and the rules the server generated from the RuleS2S fixtures
    const before = (await s.call("GET", collection("ieagagrules"))).body.items as KubeObject[];
    expect(before.map((o) => o.metadata.name)).toContain("worker-ssh-block");
    expect(before.some((o) => o.metadata.labels?.["netguard.sgroups.io/generated-from"] === "RuleS2S")).toBe(true);
    const dc = await storesNothing(() => s.call("DELETE", `${collection("ieagagrules")}?dryRun=All`), 200);
    expect((dc.body.items as KubeObject[]).map((o) => o.metadata.name)).toEqual(before.map((o) => o.metadata.name));
    const after = (await s.call("GET", collection("ieagagrules"))).body.items as KubeObject[];
    expect(after).toEqual(before);
  });

  test("an unsupported dryRun value is 422 on the options", async () => {
    const r = await s.call("POST", `${collection("services")}?dryRun=Yes`, sample("Service", 3).object);
    expect(r.status).toBe(422);
    expect(r.body.details.causes[0].field).toBe("dryRun");
  });
});
