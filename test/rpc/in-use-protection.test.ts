/**
 * In-use protection through the Delete RPC: a delete of an object others still use is accepted and
 * leaves it Terminating (deletionTimestamp, the server's finalizer, one MODIFIED event); the write
 * that removes its last use deletes it in the same transaction, with its own DELETED event, and
 * such releases chain. Upstream's Sync Delete keeps refusing (test/rpc/error-codes.test.ts).
 */
import { describe, expect, test } from "bun:test";
import { Code } from "@connectrpc/connect";
import { ResourceKind } from "../../src/gen/netguard/v1/service_pb.ts";
import { IN_USE_PROTECTION_FINALIZER } from "../../src/kinds/finalizers.ts";
import type { KubeObject } from "../../src/kinds/model.ts";
import { objectOf, updateObj } from "../helpers/rpc-helpers.ts";
import { backendPerTest, expectCode, expectNothingWritten, getObj, kind, seedFixtures, watchFrom, type NgClient } from "./rpc-kit.ts";

const start = backendPerTest();

async function seeded() {
  const ctx = await start();
  await seedFixtures(ctx.client);
  return ctx;
}

const del = async (client: NgClient, kindName: string, namespace: string, name: string, extra: Record<string, unknown> = {}) =>
  objectOf((await client.delete({ kind: kind(kindName).resourceKind, identifier: { namespace, name }, ...extra })).resource);

async function gone(client: NgClient, kindName: string, namespace: string, name: string): Promise<boolean> {
  try {
    await getObj(client, kind(kindName), namespace, name);
    return false;
  } catch {
    return true;
  }
}

describe("a delete of an object in use", () => {
  test("is accepted: the object becomes Terminating with the in-use finalizer, generation + 1, a new resourceVersion and one MODIFIED event", async () => {
    const { b, client } = await seeded();
    const before = await getObj(client, kind("Service"), "shop", "worker");
    const rv0 = b.engine.currentRv;
    const w = watchFrom(client, kind("Service"), rv0);
    try {
      const out = await del(client, "Service", "shop", "worker");
      expect(out.metadata.deletionTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(out.metadata.finalizers).toEqual([IN_USE_PROTECTION_FINALIZER]);
      expect(out.metadata.generation).toBe(before.metadata.generation! + 1);
      expect(out.metadata.resourceVersion).toBe(String(rv0 + 1));
      expect(b.engine.currentRv).toBe(rv0 + 1);
      expect(await getObj(client, kind("Service"), "shop", "worker")).toEqual(out);
      const [ev] = await w.count(1);
      expect(ev!.type).toBe("MODIFIED");
      expect(ev!.object!.metadata.deletionTimestamp).toBe(out.metadata.deletionTimestamp!);
    } finally {
      w.stop();
    }
  });

  test("a repeated delete of a Terminating object answers it unchanged and writes nothing", async () => {
    const { b, client } = await seeded();
    const first = await del(client, "Service", "shop", "worker");
    await expectNothingWritten(b, client, ["Service"], async () => {
      expect(await del(client, "Service", "shop", "worker")).toEqual(first);
    });
  });

  test("preconditions still apply: a wrong uid or a stale resourceVersion writes nothing", async () => {
    const { b, client } = await seeded();
    await expectNothingWritten(b, client, ["Service"], async () => {
      await expectCode(del(client, "Service", "shop", "worker", { uid: "00000000-0000-0000-0000-000000000000" }), Code.FailedPrecondition);
      await expectCode(del(client, "Service", "shop", "worker", { resourceVersion: "1" }), Code.Aborted);
    });
  });

  test("a dry run answers the Terminating object and writes nothing", async () => {
    const { b, client } = await seeded();
    const stored = await getObj(client, kind("AddressGroup"), "shop", "ag-worker");
    await expectNothingWritten(b, client, ["AddressGroup"], async () => {
      const out = await del(client, "AddressGroup", "shop", "ag-worker", { dryRun: true });
      expect(out.metadata.finalizers).toEqual([IN_USE_PROTECTION_FINALIZER]);
      expect(out.metadata.deletionTimestamp).toBeDefined();
      expect(out.metadata.resourceVersion).toBe(stored.metadata.resourceVersion!);
    });
    expect(await getObj(client, kind("AddressGroup"), "shop", "ag-worker")).toEqual(stored);
  });

  test("an object nothing uses is still deleted at once with a DELETED event", async () => {
    const { b, client } = await seeded();
    const w = watchFrom(client, kind("ServiceAlias"), b.engine.currentRv);
    try {
      const out = await del(client, "ServiceAlias", "shop", "frontend-alias");
      expect(out.metadata.deletionTimestamp).toBeUndefined();
      expect(await gone(client, "ServiceAlias", "shop", "frontend-alias")).toBe(true);
      expect((await w.count(1)).map((e) => e.type)).toEqual(["DELETED"]);
    } finally {
      w.stop();
    }
  });
});

describe("the last use going away", () => {
  test("deleting the last referrer deletes the Terminating object in the same write, with its own resourceVersion and DELETED event", async () => {
    const { b, client } = await seeded();
    await del(client, "Service", "shop", "worker");
    const rv0 = b.engine.currentRv;
    const w = watchFrom(client, kind("Service"), rv0);
    const wb = watchFrom(client, kind("AddressGroupBinding"), rv0);
    try {
      await del(client, "AddressGroupBinding", "shop", "worker-in-ag-worker");
      // gone as soon as the referrer's delete returns: the same transaction
      expect(await gone(client, "Service", "shop", "worker")).toBe(true);
      const [bindingEv] = await wb.count(1);
      const [svcEv] = await w.until((es) => es.some((e) => e.type === "DELETED"));
      expect(bindingEv!.type).toBe("DELETED");
      expect(svcEv!.type).toBe("DELETED");
      expect(svcEv!.name).toBe("worker");
      expect(svcEv!.rv).toBeGreaterThan(bindingEv!.rv);
      expect(svcEv!.object!.metadata.finalizers).toBeUndefined();
      expect(svcEv!.object!.metadata.deletionTimestamp).toBeDefined();
    } finally {
      w.stop();
      wb.stop();
    }
  });

  test("releases chain: the AddressGroup waits for the binding, its port mapping and the IEAgAgRules naming it go with it", async () => {
    const { b, client } = await seeded();
    const rv0 = b.engine.currentRv;
    const w = watchFrom(client, kind("AddressGroup"), rv0);
    try {
      await del(client, "AddressGroup", "shop", "ag-worker");
      await del(client, "Service", "shop", "worker");
      expect(await gone(client, "AddressGroupPortMapping", "shop", "ag-worker")).toBe(false);
      await del(client, "AddressGroupBinding", "shop", "worker-in-ag-worker");
      for (const [k, name] of [["Service", "worker"], ["AddressGroup", "ag-worker"], ["AddressGroupPortMapping", "ag-worker"], ["IEAgAgRule", "worker-ssh-block"]] as const) {
        expect({ k, name, gone: await gone(client, k, "shop", name) }).toEqual({ k, name, gone: true });
      }
      const events = await w.until((es) => es.some((e) => e.type === "DELETED"));
      expect(events.filter((e) => e.name === "ag-worker").map((e) => e.type)).toEqual(["MODIFIED", "DELETED"]);
    } finally {
      w.stop();
    }
  });

  test("an update that drops the last reference releases the object", async () => {
    const { client } = await seeded();
    await del(client, "AddressGroup", "shop", "ag-frontend");
    const frontend = await getObj(client, kind("Service"), "shop", "frontend");
    const edited: KubeObject = structuredClone(frontend);
    delete edited.spec!.addressGroups;
    await updateObj(client, edited);
    expect(await gone(client, "AddressGroup", "shop", "ag-frontend")).toBe(true);
  });

  test("a Terminating object is not released while another use remains", async () => {
    const { client } = await seeded();
    // frontend is used by its alias and by two rules
    await del(client, "Service", "shop", "frontend");
    await del(client, "ServiceAlias", "shop", "frontend-alias");
    await del(client, "RuleS2S", "shop", "frontend-to-backend");
    const still = await getObj(client, kind("Service"), "shop", "frontend");
    expect(still.metadata.finalizers).toEqual([IN_USE_PROTECTION_FINALIZER]);
    await client.delete({ kind: ResourceKind.RULE_S2S, identifier: { namespace: "shop", name: "backend-from-frontend" } });
    expect(await gone(client, "Service", "shop", "frontend")).toBe(true);
  });
});
