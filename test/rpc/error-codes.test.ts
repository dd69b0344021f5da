/** Write and read errors reach the client as their documented codes, and leave the store untouched. */
import { describe, expect, test } from "bun:test";
import { Code, ConnectError } from "@connectrpc/connect";
import { ResourceKind, SyncOp } from "../../src/gen/netguard/v1/service_pb.ts";
import { sample } from "../helpers/fixtures.ts";
import { objectOf, resourceOf } from "../helpers/rpc-helpers.ts";
import { backendPerTest, expectCode, expectNothingWritten, fixture, getObj, kind, seedFixtures, syncReq } from "./rpc-kit.ts";

const start = backendPerTest();

async function seeded() {
  const { b, client } = await start();
  const objs = await seedFixtures(client);
  const stored = (k: string, n: string) => objs.find((o) => o.kind === k && o.metadata.name === n)!;
  return { b, client, stored };
}

describe("AlreadyExists", () => {
  test("creating a name that is taken fails with AlreadyExists naming the object, and writes nothing", async () => {
    const { b, client } = await seeded();
    await expectNothingWritten(b, client, ["Service"], async () => {
      const err = await expectCode(client.create({ resource: resourceOf(fixture("Service", "frontend")) }), Code.AlreadyExists);
      expect(err.rawMessage).toContain('"frontend"');
      expect(err.rawMessage).toContain("already exists");
    });
  });
});

describe("AlreadyExists under concurrency", () => {
  test("of ten concurrent creates of one name exactly one succeeds and the others get AlreadyExists", async () => {
    const { b, client } = await seeded();
    const rv0 = b.engine.currentRv;
    const input = sample("Service", 1).object;
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => client.create({ resource: resourceOf(input) })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect(ConnectError.from(r.reason).code).toBe(Code.AlreadyExists);
    expect(b.engine.currentRv).toBe(rv0 + 1);
  });
});

describe("NotFound", () => {
  test("Get of a missing object fails with NotFound naming it", async () => {
    const { client } = await seeded();
    const err = await expectCode(client.getService({ identifier: { namespace: "shop", name: "nope" } }), Code.NotFound);
    expect(err.rawMessage).toContain('"nope"');
    await expectCode(client.getAddressGroup({ identifier: { namespace: "elsewhere", name: "ag-frontend" } }), Code.NotFound);
  });

  test("Update of a missing object fails with NotFound and writes nothing", async () => {
    const { b, client } = await seeded();
    const ghost = fixture("Service", "frontend");
    ghost.metadata.name = "ghost";
    ghost.spec!.addressGroups = undefined;
    await expectNothingWritten(b, client, ["Service"], async () => {
      const err = await expectCode(client.update({ resource: resourceOf(ghost) }), Code.NotFound);
      expect(err.rawMessage).toContain('"ghost"');
    });
  });

  test("UpdateStatus of a missing object fails with NotFound and writes nothing", async () => {
    const { b, client } = await seeded();
    const ghost = fixture("AddressGroup", "ag-frontend");
    ghost.metadata.name = "ghost";
    ghost.status = { conditions: [{ type: "Ready", status: "True", lastTransitionTime: "2024-01-02T03:04:05Z" }] };
    await expectNothingWritten(b, client, ["AddressGroup"], () => expectCode(client.updateStatus({ resource: resourceOf(ghost) }), Code.NotFound));
  });

  test("Delete of a missing object fails with NotFound and writes nothing", async () => {
    const { b, client } = await seeded();
    await expectNothingWritten(b, client, ["Service"], async () => {
      const err = await expectCode(
        client.delete({ kind: ResourceKind.SERVICE, identifier: { namespace: "shop", name: "ghost" } }),
        Code.NotFound,
      );
      expect(err.rawMessage).toContain('"ghost"');
    });
  });
});

describe("InvalidArgument for malformed write requests", () => {
  test("Delete without a kind, and Update/UpdateStatus without a resource, are InvalidArgument and write nothing", async () => {
    const { b, client } = await seeded();
    await expectNothingWritten(b, client, ["Service"], async () => {
      const err = await expectCode(client.delete({ identifier: { namespace: "shop", name: "worker" } }), Code.InvalidArgument);
      expect(err.rawMessage).toContain("kind");
      await expectCode(client.update({}), Code.InvalidArgument);
      await expectCode(client.updateStatus({}), Code.InvalidArgument);
    });
  });
});

describe("Aborted", () => {
  test("Update with a stale metadata.resourceVersion fails with Aborted and writes nothing", async () => {
    const { b, client, stored } = await seeded();
    const v1 = stored("Service", "worker");
    const v2 = objectOf((await client.update({ resource: resourceOf({ ...v1, metadata: { ...v1.metadata, labels: { rev: "2" } } }) })).resource);
    expect(Number(v2.metadata.resourceVersion)).toBeGreaterThan(Number(v1.metadata.resourceVersion));
    const stale = structuredClone(v1);
    stale.metadata.labels = { rev: "3" };
    await expectNothingWritten(b, client, ["Service"], async () => {
      const err = await expectCode(client.update({ resource: resourceOf(stale) }), Code.Aborted);
      expect(err.rawMessage).toContain("modified");
    });
    expect((await getObj(client, kind("Service"), "shop", "worker")).metadata.labels).toEqual({ rev: "2" });
  });

  test("UpdateStatus and Delete with a stale resourceVersion fail with Aborted", async () => {
    const { b, client, stored } = await seeded();
    const v1 = stored("AddressGroup", "ag-worker");
    await client.update({ resource: resourceOf({ ...v1, metadata: { ...v1.metadata, labels: { rev: "2" } } }) });
    const stale = structuredClone(v1);
    stale.status = { conditions: [{ type: "Ready", status: "True", lastTransitionTime: "2024-01-02T03:04:05Z" }] };
    await expectNothingWritten(b, client, ["AddressGroup"], async () => {
      await expectCode(client.updateStatus({ resource: resourceOf(stale) }), Code.Aborted);
      await expectCode(
        client.delete({
          kind: ResourceKind.ADDRESS_GROUP,
          identifier: { namespace: "shop", name: "ag-worker" },
          resourceVersion: v1.metadata.resourceVersion!,
        }),
        Code.Aborted,
      );
    });
  });
});

describe("FailedPrecondition", () => {
  test("deleting a server-managed port mapping fails with FailedPrecondition and writes nothing", async () => {
    const { b, client } = await seeded();
    await expectNothingWritten(b, client, ["AddressGroupPortMapping", "AddressGroup"], async () => {
      const err = await expectCode(
        client.delete({ kind: ResourceKind.ADDRESS_GROUP_PORT_MAPPING, identifier: { namespace: "shop", name: "ag-frontend" } }),
        Code.FailedPrecondition,
      );
      expect(err.rawMessage).toContain("managed by the server");
    });
  });

  test("Sync Delete of Service frontend while frontend-alias references it fails with FailedPrecondition and writes nothing", async () => {
    const { b, client, stored } = await seeded();
    await expectNothingWritten(b, client, ["Service", "ServiceAlias"], async () => {
      const err = await expectCode(client.sync(syncReq(SyncOp.Delete, kind("Service"), [stored("Service", "frontend")])), Code.FailedPrecondition);
      expect(err.rawMessage).toContain("frontend");
      expect(err.rawMessage).toContain("frontend-alias");
    });
    expect((await client.getService({ identifier: { namespace: "shop", name: "frontend" } })).service).toBeDefined();
  });

  test("Delete with a wrong uid precondition fails with FailedPrecondition and writes nothing", async () => {
    const { b, client, stored } = await seeded();
    const rule = stored("IEAgAgRule", "worker-ssh-block");
    await expectNothingWritten(b, client, ["IEAgAgRule"], async () => {
      const err = await expectCode(
        client.delete({
          kind: ResourceKind.IEAGAG_RULE,
          identifier: { namespace: "shop", name: "worker-ssh-block" },
          uid: "00000000-0000-0000-0000-000000000000",
        }),
        Code.FailedPrecondition,
      );
      expect(err.rawMessage).toContain("UID");
    });
    // the right uid works
    const gone = await client.delete({ kind: ResourceKind.IEAGAG_RULE, identifier: { namespace: "shop", name: "worker-ssh-block" }, uid: rule.metadata.uid! });
    expect(objectOf(gone.resource).metadata.uid).toBe(rule.metadata.uid);
  });
});
