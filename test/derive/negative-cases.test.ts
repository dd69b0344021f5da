/**
 * Every negative case of domain-reference §8 (plus the derive-specific ones) is refused through the
 * Connect API with a meaningful code and field violation, and nothing is written: no version is
 * consumed and no watcher of the written or any derived kind sees an event.
 */
import { describe, expect, test } from "bun:test";
import { Code } from "@connectrpc/connect";
import { ResourceKind, SyncOp, ValidationDetailsSchema } from "../../src/gen/netguard/v1/service_pb.ts";
import { API_VERSION, type KubeObject } from "../../src/kinds/model.ts";
import { validateObject } from "../../src/kinds/validation/index.ts";
import { createObj, resourceOf, updateObj } from "../helpers/rpc-helpers.ts";
import { backendPerTest, expectCode, expectNothingWritten, getObj, kind, seedFixtures, syncReq, type NgClient } from "../rpc/rpc-kit.ts";

const start = backendPerTest();
const DERIVED = ["Service", "AddressGroupPortMapping", "IEAgAgRule", "RuleS2S"];
const ref = (k: string, namespace: string, name: string) => ({ apiVersion: API_VERSION, kind: k, name, namespace });
const o = (k: string, namespace: string, name: string, spec: Record<string, unknown>): KubeObject => ({ apiVersion: API_VERSION, kind: k, metadata: { name, namespace }, spec });

async function seeded() {
  const ctx = await start();
  const objs = await seedFixtures(ctx.client);
  return { ...ctx, stored: (k: string, n: string) => objs.find((x) => x.kind === k && x.metadata.name === n)! };
}

/** Expects InvalidArgument whose field violations include `field` with a message containing `text`. */
async function expectViolation(p: Promise<unknown>, field: string, text: string) {
  const err = await expectCode(p, Code.InvalidArgument);
  const violations = err.findDetails(ValidationDetailsSchema)[0]?.violations ?? [];
  const hit = violations.find((v) => v.field === field);
  if (!hit) throw new Error(`no violation of ${field} in ${JSON.stringify(violations)}`);
  expect(hit.message).toContain(text);
  return hit.message;
}

const rejectCreate = (client: NgClient, obj: KubeObject) => client.create({ resource: resourceOf(obj) });

describe("§8 negative cases through the Connect API", () => {
  test("RuleS2S referencing a ServiceAlias: kind must be Service", async () => {
    const { b, client } = await seeded();
    const rule = o("RuleS2S", "shop", "via-alias", { traffic: "EGRESS", serviceLocalRef: ref("ServiceAlias", "shop", "frontend-alias"), serviceRef: ref("Service", "shop", "backend") });
    await expectNothingWritten(b, client, ["RuleS2S", "IEAgAgRule"], () => expectViolation(rejectCreate(client, rule), "spec.serviceLocalRef.kind", "Service"));
  });

  test("RuleS2S whose local Service is in another namespace", async () => {
    const { b, client } = await seeded();
    const rule = o("RuleS2S", "shop", "foreign-local", { traffic: "EGRESS", serviceLocalRef: ref("Service", "payments", "billing"), serviceRef: ref("Service", "shop", "backend") });
    await expectNothingWritten(b, client, ["RuleS2S", "IEAgAgRule"], () => expectViolation(rejectCreate(client, rule), "spec.serviceLocalRef.namespace", "must equal"));
  });

  test("changing spec.traffic of a RuleS2S (immutable)", async () => {
    const { b, client, stored } = await seeded();
    const edit = structuredClone(stored("RuleS2S", "frontend-to-backend"));
    edit.spec!.traffic = "INGRESS";
    await expectNothingWritten(b, client, ["RuleS2S", "IEAgAgRule"], () => expectViolation(updateObj(client, edit), "spec.traffic", "immutable"));
  });

  test("ServiceAlias in shop pointing at a Service in payments", async () => {
    const { b, client } = await seeded();
    const alias = o("ServiceAlias", "shop", "billing-alias", { serviceRef: ref("Service", "payments", "billing") });
    await expectNothingWritten(b, client, ["ServiceAlias"], () => expectViolation(rejectCreate(client, alias), "spec.serviceRef.namespace", "must equal"));
  });

  test("binding ag-frontend (in frontend's spec.addressGroups) to worker", async () => {
    const { b, client } = await seeded();
    const binding = o("AddressGroupBinding", "shop", "worker-in-ag-frontend", { serviceRef: ref("Service", "shop", "worker"), addressGroupRef: ref("AddressGroup", "shop", "ag-frontend") });
    await expectNothingWritten(b, client, ["AddressGroupBinding", ...DERIVED], () =>
      expectViolation(rejectCreate(client, binding), "spec.addressGroupRef", "already belongs to Service shop/frontend via spec.addressGroups"),
    );
  });

  test("a Service with TCP 8081 listing ag-backend overlaps backend's 8080-8081; the error names both Services", async () => {
    const { b, client } = await seeded();
    const svc = o("Service", "shop", "metrics", { ingressPorts: [{ protocol: "TCP", port: "8081" }], addressGroups: [ref("AddressGroup", "shop", "ag-backend")] });
    await expectNothingWritten(b, client, DERIVED, async () => {
      const message = await expectViolation(rejectCreate(client, svc), "spec.ingressPorts[0].port", "overlaps");
      expect(message).toBe("TCP 8081 of Service shop/metrics overlaps TCP 8080-8081 of Service shop/backend in AddressGroup shop/ag-backend");
    });
  });

  test("a binding whose Service's ports overlap a member of the group; the error names both Services", async () => {
    const { b, client } = await seeded();
    await createObj(client, o("Service", "shop", "worker2", { ingressPorts: [{ protocol: "TCP", port: "8999-9001" }] }));
    const binding = o("AddressGroupBinding", "shop", "worker2-in-ag-worker", { serviceRef: ref("Service", "shop", "worker2"), addressGroupRef: ref("AddressGroup", "shop", "ag-worker") });
    await expectNothingWritten(b, client, ["AddressGroupBinding", ...DERIVED], async () => {
      const message = await expectViolation(rejectCreate(client, binding), "spec.serviceRef", "overlaps");
      expect(message).toContain("shop/worker2");
      expect(message).toContain("of Service shop/worker");
    });
  });

  test("an update that makes a member's ports overlap another member of its group", async () => {
    const { b, client, stored } = await seeded();
    await createObj(client, o("Service", "shop", "admin", { ingressPorts: [{ protocol: "TCP", port: "8443" }], addressGroups: [ref("AddressGroup", "shop", "ag-frontend")] }));
    const edit = structuredClone(stored("Service", "frontend"));
    (edit.spec!.ingressPorts as unknown[]).push({ protocol: "TCP", port: "8000-9000" });
    await expectNothingWritten(b, client, DERIVED, () => expectViolation(updateObj(client, edit), "spec.ingressPorts[2].port", "of Service shop/admin"));
  });

  test("an AddressGroup without defaultAction is Required", async () => {
    const { b, client } = await seeded();
    await expectNothingWritten(b, client, ["AddressGroup", "AddressGroupPortMapping"], () =>
      expectViolation(rejectCreate(client, o("AddressGroup", "shop", "ag-nodefault", {})), "spec.defaultAction", "Required"),
    );
  });

  test("an IEAgAgRule port entry with both port and portRange (checked where the shape exists: the Kubernetes object)", () => {
    // The wire PortSpec is one destination string, so such an entry cannot even be sent over
    // Connect; the API server validates the Kubernetes object with the shared validators.
    const rule = o("IEAgAgRule", "shop", "both", {
      transport: "TCP",
      traffic: "INGRESS",
      addressGroupLocal: ref("AddressGroup", "shop", "ag-worker"),
      addressGroup: ref("AddressGroup", "shop", "ag-frontend"),
      ports: [{ port: 22, portRange: { from: 1, to: 2 } }],
    });
    expect(validateObject(kind("IEAgAgRule"), rule)).toEqual([
      { field: "spec.ports[0]", reason: "FieldValueInvalid", message: "exactly one of port or portRange must be set, not both" },
    ]);
  });

  // Upstream's Sync Delete keeps refusing these; the Delete RPC protects instead (test/rpc/in-use-protection.test.ts).
  test("Sync Delete of Service frontend while frontend-alias exists and it has groups", async () => {
    const { b, client, stored } = await seeded();
    await expectNothingWritten(b, client, DERIVED, async () => {
      const err = await expectCode(client.sync(syncReq(SyncOp.Delete, kind("Service"), [stored("Service", "frontend")])), Code.FailedPrecondition);
      expect(err.rawMessage).toContain("frontend-alias");
      expect(err.rawMessage).toContain("spec.addressGroups");
    });
  });

  test("Sync Delete of AddressGroup ag-worker while a binding references it", async () => {
    const { b, client, stored } = await seeded();
    await expectNothingWritten(b, client, ["AddressGroup", ...DERIVED], async () => {
      const err = await expectCode(client.sync(syncReq(SyncOp.Delete, kind("AddressGroup"), [stored("AddressGroup", "ag-worker")])), Code.FailedPrecondition);
      expect(err.rawMessage).toContain("worker-in-ag-worker");
    });
  });

  test("Fixture 3: a cross-namespace binding without a policy is refused; Sync cannot delete the policy while the binding uses it", async () => {
    const { b, client, stored } = await seeded();
    await createObj(client, o("AddressGroup", "infra", "ag-cache", { defaultAction: "DROP" }));
    const binding = o("AddressGroupBinding", "payments", "billing-to-cache", { serviceRef: ref("Service", "payments", "billing"), addressGroupRef: ref("AddressGroup", "infra", "ag-cache") });
    await expectNothingWritten(b, client, ["AddressGroupBinding", ...DERIVED], async () => {
      await expectViolation(rejectCreate(client, binding), "spec.addressGroupRef", "cross-namespace binding not allowed");
      const err = await expectCode(
        client.sync(syncReq(SyncOp.Delete, kind("AddressGroupBindingPolicy"), [stored("AddressGroupBindingPolicy", "allow-billing-into-shared-db")])),
        Code.FailedPrecondition,
      );
      expect(err.rawMessage).toContain("billing-to-shared-db");
    });
  });

  test("a binding living outside its Service's namespace", async () => {
    const { b, client } = await seeded();
    const binding = o("AddressGroupBinding", "infra", "billing-from-infra", { serviceRef: ref("Service", "payments", "billing"), addressGroupRef: ref("AddressGroup", "infra", "ag-shared-db") });
    await expectNothingWritten(b, client, ["AddressGroupBinding", ...DERIVED], () => expectViolation(rejectCreate(client, binding), "spec.serviceRef.namespace", "must equal"));
  });
});

describe("derived objects are the server's", () => {
  test("clients cannot create or delete an AddressGroupPortMapping", async () => {
    const { b, client } = await seeded();
    const mapping: KubeObject = { apiVersion: API_VERSION, kind: "AddressGroupPortMapping", metadata: { name: "ag-orphan", namespace: "shop" }, spec: {} };
    await expectNothingWritten(b, client, ["AddressGroupPortMapping"], async () => {
      await expectViolation(rejectCreate(client, mapping), "metadata.name", "managed by the server");
      const err = await expectCode(
        client.delete({ kind: ResourceKind.ADDRESS_GROUP_PORT_MAPPING, identifier: { namespace: "shop", name: "ag-frontend" } }),
        Code.FailedPrecondition,
      );
      expect(err.rawMessage).toContain("deleted with its AddressGroup");
    });
  });

  test("a client update of a mapping may relabel it; its accessPorts are read-only", async () => {
    const { client } = await seeded();
    const Mapping = kind("AddressGroupPortMapping");
    const mapping = await getObj(client, Mapping, "shop", "ag-frontend");
    const edit = structuredClone(mapping);
    edit.metadata.labels = { team: "web" };
    edit.accessPorts = { items: [] };
    const out = await updateObj(client, edit);
    expect(out.metadata.labels).toEqual({ team: "web" });
    expect(out.accessPorts).toEqual(mapping.accessPorts);
  });

  test("a RuleS2S whose generated rule would collide with another combination's (AddressGroup names equal, namespaces not) is refused", async () => {
    const { b, client } = await seeded();
    await createObj(client, o("AddressGroup", "infra", "ag-frontend", { defaultAction: "ACCEPT" }));
    await createObj(client, o("Service", "infra", "web", { ingressPorts: [{ protocol: "TCP", port: "81" }], addressGroups: [ref("AddressGroup", "infra", "ag-frontend")] }));
    // EGRESS infra/ag-frontend → shop/ag-backend hashes like shop/ag-frontend → shop/ag-backend (names only)
    const rule = o("RuleS2S", "infra", "web-to-backend", { traffic: "EGRESS", serviceLocalRef: ref("Service", "infra", "web"), serviceRef: ref("Service", "shop", "backend") });
    await expectNothingWritten(b, client, ["RuleS2S", "IEAgAgRule"], async () => {
      const message = await expectViolation(rejectCreate(client, rule), "spec", "more than one combination");
      expect(message).toContain("egr-97877b71-97e2-9550-1be1-6cf5b857d9d6");
      // a dry run fails the same way
      await expectViolation(client.create({ resource: resourceOf(rule), dryRun: true }), "spec", "more than one combination");
    });
  });
});
