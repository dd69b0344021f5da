/** Sync applies a batch of one kind — Upsert, Delete or FullSync — all or nothing. */
import { describe, expect, test } from "bun:test";
import { Code } from "@connectrpc/connect";
import { SyncOp, ValidationDetailsSchema } from "../../src/gen/netguard/v1/service_pb.ts";
import type { KubeObject } from "../../src/kinds/model.ts";
import { sample } from "../helpers/fixtures.ts";
import { createAll, listKind } from "../helpers/rpc-helpers.ts";
import { backendPerTest, expectCode, expectNothingWritten, getObj, kind, seedFixtures, syncReq, watchFrom, type NgClient } from "./rpc-kit.ts";

const start = backendPerTest();
const Service = kind("Service");
const AddressGroup = kind("AddressGroup");
const svc = (n: number) => sample("Service", n).object;
const names = async (client: NgClient, k = Service) => (await listKind(client, k)).items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`);

describe("Sync Upsert", () => {
  test("creates missing objects and updates existing ones", async () => {
    const { b, client } = await start();
    await createAll(client, [svc(1)]);
    const before = await getObj(client, Service, "shop", "svc-1");
    const changed = svc(1);
    changed.spec!.description = "changed by sync";
    changed.metadata.labels = { synced: "yes" };
    const w = watchFrom(client, Service, b.engine.currentRv);
    await client.sync(syncReq(SyncOp.Upsert, Service, [changed, svc(2)]));

    const after = await getObj(client, Service, "shop", "svc-1");
    expect(after.metadata.uid).toBe(before.metadata.uid);
    expect(after.metadata.generation).toBe(2);
    expect(after.spec!.description).toBe("changed by sync");
    expect(after.metadata.labels).toEqual({ synced: "yes" });
    const created = await getObj(client, Service, "shop", "svc-2");
    expect(created.metadata.generation).toBe(1);
    expect(created.metadata.uid).toBeTruthy();
    expect((await w.count(2)).map((e) => [e.type, e.name])).toEqual([
      ["MODIFIED", "svc-1"],
      ["ADDED", "svc-2"],
    ]);
    w.stop();
  });

  test("upserting unchanged objects writes nothing", async () => {
    const { b, client } = await start();
    await createAll(client, [svc(1), svc(2)]);
    await expectNothingWritten(b, client, ["Service"], () => client.sync(syncReq(SyncOp.Upsert, Service, [svc(1), svc(2)])));
  });
});

describe("Sync Delete", () => {
  test("removes the named objects and ignores names that do not exist", async () => {
    const { b, client } = await start();
    await createAll(client, [svc(1), svc(2), svc(3)]);
    const rv0 = b.engine.currentRv;
    await client.sync(syncReq(SyncOp.Delete, Service, [svc(1), svc(77), svc(3)]));
    expect(await names(client)).toEqual(["shop/svc-2"]);
    expect(b.engine.currentRv).toBe(rv0 + 2);
  });

  test("a batch naming only missing objects is a no-op", async () => {
    const { b, client } = await start();
    await createAll(client, [svc(1)]);
    await expectNothingWritten(b, client, ["Service"], () => client.sync(syncReq(SyncOp.Delete, Service, [svc(8), svc(9)])));
  });
});

describe("Sync FullSync", () => {
  test("replaces every object of the subject kind and leaves other kinds alone", async () => {
    const { b, client } = await start();
    const ags = [sample("AddressGroup", 1).object, sample("AddressGroup", 2).object];
    await createAll(client, [svc(1), svc(2), svc(3), ...ags]);
    const agsBefore = (await listKind(client, AddressGroup)).items;
    const w = watchFrom(client, Service, b.engine.currentRv);
    const kept = svc(2);
    kept.metadata.labels = { kept: "yes" };
    await client.sync(syncReq(SyncOp.FullSync, Service, [kept, svc(4)]));

    expect(await names(client)).toEqual(["shop/svc-2", "shop/svc-4"]);
    expect((await listKind(client, AddressGroup)).items).toEqual(agsBefore);
    const events = (await w.count(4)).map((e) => [e.type, e.name]);
    expect(events).toHaveLength(4);
    expect(events).toEqual(
      expect.arrayContaining([
        ["MODIFIED", "svc-2"],
        ["ADDED", "svc-4"],
        ["DELETED", "svc-1"],
        ["DELETED", "svc-3"],
      ]),
    );
    w.stop();
  });

  test("a FullSync that would delete a blocked object (frontend, referenced by frontend-alias) fails and writes nothing", async () => {
    const { b, client } = await start();
    await seedFixtures(client);
    const before = await names(client);
    await expectNothingWritten(b, client, ["Service"], async () => {
      const err = await expectCode(client.sync(syncReq(SyncOp.FullSync, Service, [svc(5)])), Code.FailedPrecondition);
      expect(err.rawMessage).toContain("frontend");
      expect(await names(client)).toEqual(before);
    });
  });
});

describe("Sync is all-or-nothing", () => {
  test("a batch with one invalid object writes nothing and names the invalid field", async () => {
    const { b, client } = await start();
    await createAll(client, [svc(1)]);
    const bad = svc(3);
    bad.spec!.ingressPorts = [{ protocol: "TCP", port: "99999" }];
    const changed = svc(1);
    changed.spec!.description = "would change";
    await expectNothingWritten(b, client, ["Service"], async () => {
      const err = await expectCode(client.sync(syncReq(SyncOp.Upsert, Service, [changed, svc(2), bad, svc(4)])), Code.InvalidArgument);
      expect(err.rawMessage).toContain("svc-3");
      const fields = err.findDetails(ValidationDetailsSchema).flatMap((d) => d.violations.map((v) => v.field));
      expect(fields).toContain("spec.ingressPorts[0].port");
      expect(await names(client)).toEqual(["shop/svc-1"]);
      expect((await getObj(client, Service, "shop", "svc-1")).spec!.description).toBeUndefined();
    });
  });

  test("a batch naming the same object twice is InvalidArgument and writes nothing", async () => {
    const { b, client } = await start();
    await createAll(client, [svc(1)]);
    await expectNothingWritten(b, client, ["Service"], async () => {
      const err = await expectCode(client.sync(syncReq(SyncOp.Upsert, Service, [svc(2), svc(2)])), Code.InvalidArgument);
      expect(err.findDetails(ValidationDetailsSchema)[0]!.violations[0]!.reason).toBe("FieldValueDuplicate");
    });
  });

  test("a NoOp sync_op is InvalidArgument and writes nothing", async () => {
    const { b, client } = await start();
    await createAll(client, [svc(1)]);
    await expectNothingWritten(b, client, ["Service"], async () => {
      const err = await expectCode(client.sync(syncReq(SyncOp.NoOp, Service, [svc(2)])), Code.InvalidArgument);
      expect(err.rawMessage).toContain("sync_op");
    });
  });

  test("an empty subject is InvalidArgument and writes nothing", async () => {
    const { b, client } = await start();
    await createAll(client, [svc(1)]);
    await expectNothingWritten(b, client, ["Service", "AddressGroup"], async () => {
      for (const op of [SyncOp.FullSync, SyncOp.Upsert, SyncOp.Delete]) {
        const err = await expectCode(client.sync({ syncOp: op }), Code.InvalidArgument);
        expect(err.rawMessage).toContain("subject");
      }
    });
  });
});

describe("Sync bookkeeping", () => {
  test("SyncStatus reports the newest resourceVersion and a recent updatedAt after a batch", async () => {
    const { b, client } = await start();
    const t0 = Date.now();
    await client.sync(syncReq(SyncOp.Upsert, Service, [svc(1), svc(2)] as KubeObject[]));
    const st = await client.syncStatus({});
    expect(st.resourceVersion).toBe(String(b.engine.currentRv));
    expect(st.resourceVersion).toBe("2");
    const at = Number(st.updatedAt!.seconds) * 1000;
    expect(Math.abs(at - t0)).toBeLessThan(5000);
  });
});
