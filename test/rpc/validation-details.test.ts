/** Invalid objects are rejected with InvalidArgument carrying ValidationDetails that name the field. */
import { describe, expect, test } from "bun:test";
import { Code } from "@connectrpc/connect";
import { ValidationDetailsSchema } from "../../src/gen/netguard/v1/service_pb.ts";
import type { KubeObject } from "../../src/kinds/model.ts";
import type { Protocol } from "../helpers/backend-harness.ts";
import { resourceOf } from "../helpers/rpc-helpers.ts";
import { backendPerTest, expectCode, expectNothingWritten, fixture, seedFixtures } from "./rpc-kit.ts";

const start = backendPerTest();

async function expectInvalid(call: Promise<unknown>, field: string, reason?: string) {
  const err = await expectCode(call, Code.InvalidArgument);
  const details = err.findDetails(ValidationDetailsSchema);
  expect(details.length).toBe(1);
  const fields = details[0]!.violations.map((v) => v.field);
  expect(fields).toContain(field);
  const v = details[0]!.violations.find((x) => x.field === field)!;
  expect(v.message.length).toBeGreaterThan(0);
  if (reason) expect(v.reason).toBe(reason);
  // the message summarises the violations the way kubectl prints them
  expect(err.rawMessage).toContain(field);
  return err;
}

const svc = (name: string, port: string): KubeObject => ({
  apiVersion: "netguard.sgroups.io/v1beta1",
  kind: "Service",
  metadata: { name, namespace: "shop" },
  spec: { ingressPorts: [{ protocol: "TCP", port }] },
});

describe("InvalidArgument with ValidationDetails", () => {
  const seeded = async (protocol: Protocol = "grpc") => {
    const ctx = await start({}, protocol);
    await seedFixtures(ctx.client);
    return ctx;
  };

  test.each(["connect", "grpcweb"] as const)("the details also arrive over the %s protocol", async (protocol) => {
    const { b, client } = await seeded(protocol);
    await expectNothingWritten(b, client, ["Service"], () =>
      expectInvalid(client.create({ resource: resourceOf(svc("bad-port", "1-2-3")) }), "spec.ingressPorts[0].port"),
    );
  });

  test("a Service with port 99999 names spec.ingressPorts[0].port and writes nothing", async () => {
    const { b, client } = await seeded();
    await expectNothingWritten(b, client, ["Service"], () =>
      expectInvalid(client.create({ resource: resourceOf(svc("bad-port", "99999")) }), "spec.ingressPorts[0].port"),
    );
  });

  test("an AddressGroup without defaultAction names spec.defaultAction as required and writes nothing", async () => {
    const { b, client } = await seeded();
    const ag: KubeObject = { apiVersion: "netguard.sgroups.io/v1beta1", kind: "AddressGroup", metadata: { name: "ag-no-action", namespace: "shop" }, spec: {} };
    await expectNothingWritten(b, client, ["AddressGroup"], () =>
      expectInvalid(client.create({ resource: resourceOf(ag) }), "spec.defaultAction", "FieldValueRequired"),
    );
  });

  test("a RuleS2S whose serviceRef kind is ServiceAlias names spec.serviceRef.kind and writes nothing", async () => {
    const { b, client } = await seeded();
    const rule = fixture("RuleS2S", "frontend-to-backend");
    rule.metadata.name = "via-alias";
    rule.spec!.serviceRef = { apiVersion: "netguard.sgroups.io/v1beta1", kind: "ServiceAlias", name: "frontend-alias", namespace: "shop" };
    await expectNothingWritten(b, client, ["RuleS2S"], () => expectInvalid(client.create({ resource: resourceOf(rule) }), "spec.serviceRef.kind"));
  });

  test("an Update that breaks validation is InvalidArgument too, and the stored object is unchanged", async () => {
    const { b, client } = await seeded();
    const worker = fixture("Service", "worker");
    worker.spec!.ingressPorts = [{ protocol: "TCP", port: "70000" }];
    await expectNothingWritten(b, client, ["Service"], () => expectInvalid(client.update({ resource: resourceOf(worker) }), "spec.ingressPorts[0].port"));
  });

  test("changing an immutable field (RuleS2S spec.traffic) is InvalidArgument naming it", async () => {
    const { b, client } = await seeded();
    const rule = fixture("RuleS2S", "frontend-to-backend");
    rule.spec!.traffic = "INGRESS";
    await expectNothingWritten(b, client, ["RuleS2S"], () => expectInvalid(client.update({ resource: resourceOf(rule) }), "spec.traffic"));
  });

  test("a Create without any resource is InvalidArgument with a message", async () => {
    const { b, client } = await seeded();
    await expectNothingWritten(b, client, ["Service"], async () => {
      const err = await expectCode(client.create({}), Code.InvalidArgument);
      expect(err.rawMessage).toContain("resource");
    });
  });
});
