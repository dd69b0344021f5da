/**
 * Finalizers and Terminating objects through the Connect API: what clients may do with
 * `metadata.finalizers`, new references to Terminating objects, client finalizers holding a delete,
 * upstream Sync clients (which know no finalizers), and a restart in the middle of a protection.
 */
import { describe, expect, test } from "bun:test";
import { Code } from "@connectrpc/connect";
import { SyncOp, ValidationDetailsSchema } from "../../src/gen/netguard/v1/service_pb.ts";
import { IN_USE_PROTECTION_FINALIZER } from "../../src/kinds/finalizers.ts";
import { API_VERSION, type KubeObject } from "../../src/kinds/model.ts";
import { clientFor, sqlitePersistence, startTestBackend, tempDir } from "../helpers/backend-harness.ts";
import { createObj, objectOf, updateObj } from "../helpers/rpc-helpers.ts";
import { backendPerTest, expectCode, expectNothingWritten, getObj, kind, seedFixtures, syncReq, watchFrom, type NgClient } from "./rpc-kit.ts";

const start = backendPerTest();
const ref = (k: string, namespace: string, name: string) => ({ apiVersion: API_VERSION, kind: k, name, namespace });
const o = (k: string, namespace: string, name: string, spec: Record<string, unknown>, finalizers?: string[]): KubeObject => ({
  apiVersion: API_VERSION,
  kind: k,
  metadata: { name, namespace, ...(finalizers ? { finalizers } : {}) },
  spec,
});

async function seeded() {
  const ctx = await start();
  await seedFixtures(ctx.client);
  return ctx;
}

const del = async (client: NgClient, kindName: string, namespace: string, name: string) =>
  objectOf((await client.delete({ kind: kind(kindName).resourceKind, identifier: { namespace, name } })).resource);

/** Expects InvalidArgument with a violation of `field` whose message contains `text`. */
async function expectViolation(p: Promise<unknown>, field: string, text: string) {
  const err = await expectCode(p, Code.InvalidArgument);
  const hit = (err.findDetails(ValidationDetailsSchema)[0]?.violations ?? []).find((v) => v.field === field);
  if (!hit) throw new Error(`no violation of ${field} in ${err.rawMessage}`);
  expect(hit.message).toContain(text);
}

async function exists(client: NgClient, kindName: string, namespace: string, name: string): Promise<boolean> {
  try {
    await getObj(client, kind(kindName), namespace, name);
    return true;
  } catch {
    return false;
  }
}

describe("the server's in-use finalizer", () => {
  test("cannot be removed by a client while the object is in use; the refusal names the uses and writes nothing", async () => {
    const { b, client } = await seeded();
    const terminating = await del(client, "Service", "shop", "worker");
    const stripped = structuredClone(terminating);
    stripped.metadata.finalizers = [];
    await expectNothingWritten(b, client, ["Service"], () => expectViolation(updateObj(client, stripped), "metadata.finalizers", "worker-in-ag-worker"));
    expect((await getObj(client, kind("Service"), "shop", "worker")).metadata.finalizers).toEqual([IN_USE_PROTECTION_FINALIZER]);
  });

  test("cannot be added by a client, on create or on update", async () => {
    const { client } = await seeded();
    await expectViolation(createObj(client, o("AddressGroup", "shop", "ag-claim", { defaultAction: "DROP" }, [IN_USE_PROTECTION_FINALIZER])), "metadata.finalizers", "managed by the server");
    const ag = await getObj(client, kind("AddressGroup"), "shop", "ag-backend");
    ag.metadata.finalizers = [IN_USE_PROTECTION_FINALIZER];
    await expectViolation(updateObj(client, ag), "metadata.finalizers", "managed by the server");
  });

  test("other changes of a Terminating object are accepted and keep it Terminating", async () => {
    const { client } = await seeded();
    const terminating = await del(client, "Service", "shop", "worker");
    const edited = structuredClone(terminating);
    edited.metadata.labels = { stage: "leaving" };
    const out = await updateObj(client, edited);
    expect(out.metadata.labels).toEqual({ stage: "leaving" });
    expect(out.metadata.deletionTimestamp).toBe(terminating.metadata.deletionTimestamp!);
    expect(out.metadata.finalizers).toEqual([IN_USE_PROTECTION_FINALIZER]);
  });
});

describe("new references to a Terminating object", () => {
  test("are refused, naming the field; references the referrer already had stay allowed", async () => {
    const { client } = await seeded();
    await del(client, "AddressGroup", "shop", "ag-worker");
    const svc = o("Service", "shop", "late", { ingressPorts: [{ protocol: "TCP", port: "9999" }], addressGroups: [ref("AddressGroup", "shop", "ag-worker")] });
    await expectViolation(createObj(client, svc), "spec.addressGroups[0]", "is being deleted");
    const binding = await getObj(client, kind("AddressGroupBinding"), "shop", "worker-in-ag-worker");
    binding.metadata.labels = { still: "here" };
    expect((await updateObj(client, binding)).metadata.labels).toEqual({ still: "here" });
  });
});

describe("client finalizers", () => {
  test("hold an unused object in Terminating until the client removes them; then the update deletes it", async () => {
    const { b, client } = await seeded();
    await createObj(client, o("AddressGroup", "shop", "ag-held", { defaultAction: "DROP" }, ["example.com/hold"]));
    const terminating = await del(client, "AddressGroup", "shop", "ag-held");
    expect(terminating.metadata.finalizers).toEqual(["example.com/hold"]);
    expect(terminating.metadata.deletionTimestamp).toBeDefined();
    const w = watchFrom(client, kind("AddressGroup"), b.engine.currentRv);
    try {
      const released = structuredClone(terminating);
      released.metadata.finalizers = [];
      await updateObj(client, released);
      expect(await exists(client, "AddressGroup", "shop", "ag-held")).toBe(false);
      expect(await exists(client, "AddressGroupPortMapping", "shop", "ag-held")).toBe(false);
      expect((await w.count(1)).map((e) => e.type)).toEqual(["DELETED"]);
    } finally {
      w.stop();
    }
  });

  test("removing the last client finalizer of an object that is still in use hands it over to the in-use protection", async () => {
    const { client } = await seeded();
    await createObj(client, o("AddressGroup", "infra", "ag-cache", { defaultAction: "DROP" }));
    const policy = o("AddressGroupBindingPolicy", "infra", "allow-billing-into-cache", { addressGroupRef: ref("AddressGroup", "infra", "ag-cache"), serviceRef: ref("Service", "payments", "billing") }, ["example.com/hold"]);
    await createObj(client, policy);
    const terminating = await del(client, "AddressGroupBindingPolicy", "infra", "allow-billing-into-cache");
    expect(terminating.metadata.finalizers).toEqual(["example.com/hold"]);
    // a binding relying on the policy is a use, not a reference: it is accepted meanwhile
    await createObj(client, o("AddressGroupBinding", "payments", "billing-to-cache", { serviceRef: ref("Service", "payments", "billing"), addressGroupRef: ref("AddressGroup", "infra", "ag-cache") }));
    const released = structuredClone(terminating);
    released.metadata.finalizers = [];
    const out = await updateObj(client, released);
    expect(out.metadata.finalizers).toEqual([IN_USE_PROTECTION_FINALIZER]);
    expect(await exists(client, "AddressGroupBindingPolicy", "infra", "allow-billing-into-cache")).toBe(true);
    await del(client, "AddressGroupBinding", "payments", "billing-to-cache");
    expect(await exists(client, "AddressGroupBindingPolicy", "infra", "allow-billing-into-cache")).toBe(false);
  });

  test("no new finalizer can be added to a Terminating object", async () => {
    const { client } = await seeded();
    await createObj(client, o("AddressGroup", "shop", "ag-held", { defaultAction: "DROP" }, ["example.com/hold"]));
    const terminating = await del(client, "AddressGroup", "shop", "ag-held");
    terminating.metadata.finalizers = ["example.com/hold", "example.com/more"];
    await expectViolation(updateObj(client, terminating), "metadata.finalizers", "no new finalizers can be added");
  });

  test("malformed finalizer names are refused", async () => {
    const { client } = await seeded();
    await expectViolation(createObj(client, o("AddressGroup", "shop", "ag-bad", { defaultAction: "DROP" }, ["not a name!"])), "metadata.finalizers[0]", "not a name!");
  });
});

describe("upstream Sync clients", () => {
  test("an Upsert of a Terminating object keeps its finalizers and deletionTimestamp", async () => {
    const { client } = await seeded();
    const terminating = await del(client, "Service", "shop", "worker");
    const upstream = structuredClone(terminating);
    delete upstream.metadata.finalizers;
    upstream.spec = { ...upstream.spec, description: "from upstream" };
    await client.sync(syncReq(SyncOp.Upsert, kind("Service"), [upstream]));
    const now = await getObj(client, kind("Service"), "shop", "worker");
    expect(now.spec!.description).toBe("from upstream");
    expect(now.metadata.finalizers).toEqual([IN_USE_PROTECTION_FINALIZER]);
    expect(now.metadata.deletionTimestamp).toBe(terminating.metadata.deletionTimestamp!);
  });

  test("a Sync Delete of the last referrer releases the Terminating object too", async () => {
    const { client } = await seeded();
    await del(client, "Service", "shop", "worker");
    const binding = await getObj(client, kind("AddressGroupBinding"), "shop", "worker-in-ag-worker");
    await client.sync(syncReq(SyncOp.Delete, kind("AddressGroupBinding"), [binding]));
    expect(await exists(client, "Service", "shop", "worker")).toBe(false);
  });
});

describe("across a restart", () => {
  test("a Terminating object stays protected, and is released by the first write that frees it", async () => {
    const dir = tempDir();
    const file = `${dir.path}/netguard.db`;
    try {
      const b1 = await startTestBackend({ persistence: await sqlitePersistence(file) });
      const c1 = clientFor(b1.url);
      await seedFixtures(c1);
      await del(c1, "Service", "shop", "worker");
      await b1.close();
      const b2 = await startTestBackend({ persistence: await sqlitePersistence(file) });
      try {
        const c2 = clientFor(b2.url);
        expect((await getObj(c2, kind("Service"), "shop", "worker")).metadata.finalizers).toEqual([IN_USE_PROTECTION_FINALIZER]);
        await del(c2, "AddressGroupBinding", "shop", "worker-in-ag-worker");
        expect(await exists(c2, "Service", "shop", "worker")).toBe(false);
      } finally {
        await b2.close();
      }
    } finally {
      dir.cleanup();
    }
  });
});

