/** What a client writes and what the server assigns survives create → get → list → watch unchanged. */
import { describe, expect, test } from "bun:test";
import { Code } from "@connectrpc/connect";
import type { KubeObject } from "../../src/kinds/model.ts";
import { createObj, listKind, updateObj } from "../helpers/rpc-helpers.ts";
import { backendPerTest, expectCode, getObj, kind, watchFrom } from "./rpc-kit.ts";

const start = backendPerTest();
const Service = kind("Service");

const LAST_APPLIED =
  JSON.stringify(
    {
      apiVersion: "netguard.sgroups.io/v1beta1",
      kind: "Service",
      metadata: { annotations: { note: "tabs\tand \"quotes\" and ünïcødé ✓" }, name: "web", namespace: "shop" },
      spec: { ingressPorts: [{ port: "80", protocol: "TCP" }] },
    },
    null,
    2,
  ) + "\n";

function web(): KubeObject {
  return {
    apiVersion: "netguard.sgroups.io/v1beta1",
    kind: "Service",
    metadata: {
      name: "web",
      namespace: "shop",
      labels: { tier: "web", "app.kubernetes.io/name": "shop-web" },
      annotations: { "kubectl.kubernetes.io/last-applied-configuration": LAST_APPLIED, "example.com/empty": "" },
    },
    spec: { description: "storefront", ingressPorts: [{ protocol: "TCP", port: "80", description: "http" }] },
  };
}

describe("round trip", () => {
  test("uid, generation, creationTimestamp, labels, annotations and resourceVersion survive create → get → list → watch", async () => {
    const { b, client } = await start();
    const w = watchFrom(client, Service, "0");
    await w.until((es) => es.some((e) => e.initialEventsEnd));
    const before = Date.now();
    const made = await createObj(client, web());
    const m = made.metadata;
    expect(m.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(m.generation).toBe(1);
    expect(m.resourceVersion).toBe(String(b.engine.currentRv));
    expect(Math.abs(Date.parse(m.creationTimestamp!) - before)).toBeLessThan(5000);
    expect(m.labels).toEqual(web().metadata.labels!);
    expect(m.annotations!["kubectl.kubernetes.io/last-applied-configuration"]).toBe(LAST_APPLIED);

    const got = await getObj(client, Service, "shop", "web");
    const listed = (await listKind(client, Service)).items.find((o) => o.metadata.name === "web")!;
    const watched = (await w.until((es) => es.some((e) => e.name === "web"))).find((e) => e.name === "web")!.object!;
    for (const o of [got, listed, watched]) {
      expect(o).toEqual(made);
      // byte-identical, not just equal after some normalisation
      expect(Buffer.from(o.metadata.annotations!["kubectl.kubernetes.io/last-applied-configuration"]!)).toEqual(Buffer.from(LAST_APPLIED));
    }
    expect(made.spec).toEqual(web().spec!);
    w.stop();
  });

  test("a spec change bumps generation; a label- or annotation-only change does not", async () => {
    const { client } = await start();
    const v1 = await createObj(client, web());

    const relabelled = structuredClone(v1);
    relabelled.metadata.labels = { tier: "api" };
    relabelled.metadata.annotations = { other: "x" };
    const v2 = await updateObj(client, relabelled);
    expect(v2.metadata.generation).toBe(1);
    expect(Number(v2.metadata.resourceVersion)).toBe(Number(v1.metadata.resourceVersion) + 1);
    expect(v2.metadata.labels).toEqual({ tier: "api" });
    expect(v2.metadata.annotations).toEqual({ other: "x" });

    const respecced = structuredClone(v2);
    respecced.spec!.description = "new description";
    const v3 = await updateObj(client, respecced);
    expect(v3.metadata.generation).toBe(2);
    expect(v3.spec!.description).toBe("new description");

    // server-owned metadata cannot be changed by the client
    for (const v of [v2, v3]) {
      expect(v.metadata.uid).toBe(v1.metadata.uid);
      expect(v.metadata.creationTimestamp).toBe(v1.metadata.creationTimestamp);
    }
    const forged = structuredClone(v3);
    forged.metadata.generation = 99;
    forged.metadata.creationTimestamp = "2001-01-01T00:00:00Z";
    forged.metadata.labels = { tier: "forged" };
    const v4 = await updateObj(client, forged);
    expect(v4.metadata.labels).toEqual({ tier: "forged" });
    expect(v4.metadata.generation).toBe(2);
    expect(v4.metadata.creationTimestamp).toBe(v1.metadata.creationTimestamp);
  });

  test("an Update carrying a different uid is refused with FailedPrecondition (uid acts as a precondition)", async () => {
    const { client } = await start();
    const v1 = await createObj(client, web());
    const forged = structuredClone(v1);
    forged.metadata.uid = "11111111-1111-1111-1111-111111111111";
    forged.metadata.labels = { tier: "forged" };
    await expectCode(updateObj(client, forged), Code.FailedPrecondition);
    expect(await getObj(client, Service, "shop", "web")).toEqual(v1);
  });

  test("an empty name with generateName gets a generated name that is kept through get", async () => {
    const { client } = await start();
    const input = web();
    input.metadata.name = "";
    input.metadata.generateName = "web-";
    const a = await createObj(client, input);
    const c = await createObj(client, input);
    expect(a.metadata.name).toMatch(/^web-[a-z0-9]{5}$/);
    expect(c.metadata.name).not.toBe(a.metadata.name);
    expect(a.metadata.generateName).toBe("web-");
    expect(await getObj(client, Service, "shop", a.metadata.name)).toEqual(a);
  });

  test("neither name nor generateName is InvalidArgument naming metadata.name", async () => {
    const { client } = await start();
    const input = web();
    input.metadata.name = "";
    const err = await expectCode(createObj(client, input), Code.InvalidArgument);
    expect(err.rawMessage).toContain("metadata.name");
  });
});
