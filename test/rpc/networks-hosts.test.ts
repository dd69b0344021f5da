/**
 * Networks, NetworkBindings, Hosts and HostBindings through the Connect API: upstream's validation
 * (CIDR, UUID, uniqueness, one binding per Network/Host, one group per Host), the derived fields
 * (Network and Host status, a binding's `network`, AddressGroup `networks` and
 * `xAggregatedHosts`), in-use protection of bound Networks and Hosts, and bindings deleted with
 * their AddressGroup.
 */
import { describe, expect, test } from "bun:test";
import { Code } from "@connectrpc/connect";
import { SyncOp, ValidationDetailsSchema } from "../../src/gen/netguard/v1/service_pb.ts";
import { IN_USE_PROTECTION_FINALIZER } from "../../src/kinds/finalizers.ts";
import { API_VERSION, type KubeObject } from "../../src/kinds/model.ts";
import { createObj, deleteObj, updateObj } from "../helpers/rpc-helpers.ts";
import { backendPerTest, expectCode, getObj, kind, syncReq, watchFrom, type NgClient } from "./rpc-kit.ts";

const start = backendPerTest();
const NS = "edge";

const ref = (k: string, name: string, namespace?: string) => ({ apiVersion: API_VERSION, kind: k, name, ...(namespace ? { namespace } : {}) });
const obj = (k: string, name: string, spec: Record<string, unknown>, namespace = NS): KubeObject => ({ apiVersion: API_VERSION, kind: k, metadata: { name, namespace }, spec });
const network = (name: string, cidr: string, namespace = NS) => obj("Network", name, { cidr }, namespace);
const netBinding = (name: string, net: string, ag: string) => obj("NetworkBinding", name, { networkRef: ref("Network", net), addressGroupRef: ref("AddressGroup", ag) });
const host = (name: string, uuid: string) => obj("Host", name, { uuid });
const hostBinding = (name: string, h: string, ag: string) => obj("HostBinding", name, { hostRef: ref("Host", h, NS), addressGroupRef: ref("AddressGroup", ag, NS) });
const group = (name: string, hosts?: string[]) => obj("AddressGroup", name, { defaultAction: "DROP", ...(hosts ? { hosts: hosts.map((h) => ref("Host", h)) } : {}) });

const UUID_1 = "6f1c2a3e-5b7d-4c8e-9f10-1a2b3c4d5e6f";
const UUID_2 = "0b9e8d7c-6a5f-4e3d-8c2b-1a0f9e8d7c6b";

const get = (client: NgClient, k: string, name: string) => getObj(client, kind(k), NS, name);

/** The field violations of a refused write, as "field: reason: message". */
async function causes(p: Promise<unknown>): Promise<string[]> {
  const err = await expectCode(p, Code.InvalidArgument);
  return err.findDetails(ValidationDetailsSchema).flatMap((d) => d.violations.map((v) => `${v.field}: ${v.reason}: ${v.message}`));
}

describe("Network validation", () => {
  test.each([
    ["10.0.0.1/24", "bits set to the right of the prefix length"],
    ["10.0.0.0/33", "prefix length must be between 0 and 32"],
    ["300.0.0.0/8", "valid CIDR notation"],
    ["10.0.0.0", "valid CIDR notation"],
    ["fe80::1%eth0/64", "valid CIDR notation"],
  ])("spec.cidr %p is refused: %s", async (cidr, why) => {
    const { client } = await start();
    const err = await expectCode(createObj(client, network("bad", cidr)), Code.InvalidArgument);
    expect(err.rawMessage).toContain("spec.cidr");
    expect(err.rawMessage).toContain(why);
  });

  test("a CIDR is unique across namespaces, compared as PostgreSQL's cidr compares (2001:0db8::/32 is 2001:db8::/32)", async () => {
    const { client } = await start();
    await createObj(client, network("a", "2001:db8::/32"));
    expect(await causes(createObj(client, network("b", "2001:0db8::/32", "other")))).toEqual([
      'spec.cidr: FieldValueDuplicate: Network "edge/a" already exists for the same CIDR',
    ]);
  });

  test("spec.cidr is immutable", async () => {
    const { client } = await start();
    const n = await createObj(client, network("a", "10.1.0.0/16"));
    expect(await causes(updateObj(client, { ...n, spec: { cidr: "10.2.0.0/16" } }))).toEqual(["spec.cidr: FieldValueInvalid: field is immutable"]);
  });
});

describe("NetworkBinding", () => {
  test("binds a Network: its status, the binding's network item and the group's networks follow in the same commit", async () => {
    const { client } = await start();
    await createObj(client, group("ag"));
    await createObj(client, network("office", "10.20.0.0/16"));
    const b = await createObj(client, netBinding("office-in-ag", "office", "ag"));
    // upstream's reference has no namespace: it is the binding's
    expect(b.spec!.networkRef).toEqual(ref("Network", "office", NS));
    const item = { name: "edge/office", cidr: "10.20.0.0/16", apiVersion: API_VERSION, kind: "Network", namespace: NS };
    expect(b.network).toEqual(item);
    const net = await get(client, "Network", "office");
    expect(net.status).toMatchObject({ isBound: true, bindingRef: ref("NetworkBinding", "office-in-ag"), addressGroupRef: ref("AddressGroup", "ag") });
    expect((await get(client, "AddressGroup", "ag")).networks).toEqual([item]);

    await deleteObj(client, b);
    expect((await get(client, "AddressGroup", "ag")).networks).toBeUndefined();
    expect((await get(client, "Network", "office")).status?.isBound).toBeUndefined();
  });

  test("a Network is bound at most once, references must exist, and both references are immutable", async () => {
    const { client } = await start();
    await createObj(client, group("ag"));
    await createObj(client, group("ag2"));
    await createObj(client, network("office", "10.20.0.0/16"));
    const b = await createObj(client, netBinding("one", "office", "ag"));
    expect(await causes(createObj(client, netBinding("two", "office", "ag2")))).toEqual([
      'spec.networkRef: FieldValueDuplicate: NetworkBinding "edge/one" already exists for the same Network (a Network is bound at most once)',
    ]);
    expect((await causes(createObj(client, netBinding("three", "nowhere", "ag")))).map((c) => c.split(": ").slice(0, 2).join(": "))).toEqual(["spec.networkRef: FieldValueNotFound"]);
    expect(await causes(updateObj(client, { ...b, spec: { ...b.spec, addressGroupRef: ref("AddressGroup", "ag2", NS) } }))).toEqual([
      "spec.addressGroupRef: FieldValueInvalid: field is immutable",
    ]);
  });

  test("a bound Network is protected: its delete leaves it Terminating until the binding goes, then it is gone", async () => {
    const { client } = await start();
    await createObj(client, group("ag"));
    await createObj(client, network("office", "10.20.0.0/16"));
    const b = await createObj(client, netBinding("office-in-ag", "office", "ag"));
    const out = await deleteObj(client, await get(client, "Network", "office"));
    expect(out.metadata.finalizers).toEqual([IN_USE_PROTECTION_FINALIZER]);
    expect(out.metadata.deletionTimestamp).toBeDefined();
    await deleteObj(client, b);
    await expectCode(get(client, "Network", "office"), Code.NotFound);
  });

  test("upstream's Sync Delete of a bound Network is refused", async () => {
    const { client } = await start();
    await createObj(client, group("ag"));
    const n = await createObj(client, network("office", "10.20.0.0/16"));
    await createObj(client, netBinding("office-in-ag", "office", "ag"));
    await expectCode(client.sync(syncReq(SyncOp.Delete, kind("Network"), [n])), Code.FailedPrecondition);
  });

  test("deleting the AddressGroup deletes its NetworkBindings (upstream: ON DELETE CASCADE) and unbinds the Network", async () => {
    const { client } = await start();
    const ag = await createObj(client, group("ag"));
    await createObj(client, network("office", "10.20.0.0/16"));
    await createObj(client, netBinding("office-in-ag", "office", "ag"));
    await deleteObj(client, ag);
    await expectCode(get(client, "NetworkBinding", "office-in-ag"), Code.NotFound);
    expect((await get(client, "Network", "office")).status?.isBound).toBeUndefined();
  });
});

describe("Host validation", () => {
  test.each([
    ["", "spec.uuid: FieldValueRequired: Required value"],
    ["not-a-uuid", "spec.uuid: FieldValueInvalid: UUID must be in valid UUID format"],
    ["6f1c2a3e5b7d4c8e9f101a2b3c4d5e6f", "spec.uuid: FieldValueInvalid: UUID must be in valid UUID format"],
  ])("spec.uuid %p is refused (%s)", async (uuid, cause) => {
    const { client } = await start();
    expect(await causes(createObj(client, host("h", uuid)))).toEqual([cause]);
  });

  test("a UUID is unique across all Hosts, whatever its letter case; it is immutable", async () => {
    const { client } = await start();
    const h = await createObj(client, host("h1", UUID_1));
    expect(await causes(createObj(client, host("h2", UUID_1.toUpperCase())))).toEqual(['spec.uuid: FieldValueDuplicate: Host "edge/h1" already exists for the same UUID']);
    expect(await causes(updateObj(client, { ...h, spec: { uuid: UUID_2 } }))).toEqual(["spec.uuid: FieldValueInvalid: field is immutable"]);
  });

  test("xIPList holds IP addresses", async () => {
    const { client } = await start();
    const ok = await createObj(client, { ...host("h1", UUID_1), xIPList: [{ ip: "10.0.0.5" }, { ip: "2001:db8::5" }] });
    expect(ok.xIPList).toEqual([{ ip: "10.0.0.5" }, { ip: "2001:db8::5" }]);
    expect(await causes(createObj(client, { ...host("h2", UUID_2), xIPList: [{ ip: "10.0.0.500" }] }))).toEqual(["xIPList[0].ip: FieldValueInvalid: must be a valid IP address"]);
  });
});

describe("Hosts in AddressGroups", () => {
  test("a HostBinding puts a Host into a group: Host status and the group's xAggregatedHosts (source binding) follow", async () => {
    const { client } = await start();
    await createObj(client, group("ag"));
    await createObj(client, host("h1", UUID_1));
    const b = await createObj(client, hostBinding("h1-in-ag", "h1", "ag"));
    const h = await get(client, "Host", "h1");
    expect(h.status).toMatchObject({ isBound: true, addressGroupName: "edge/ag", bindingRef: ref("HostBinding", "h1-in-ag"), addressGroupRef: ref("AddressGroup", "ag") });
    expect((await get(client, "AddressGroup", "ag")).xAggregatedHosts).toEqual([{ ref: ref("Host", "h1", NS), uuid: UUID_1, source: "binding" }]);
    await deleteObj(client, b);
    expect((await get(client, "AddressGroup", "ag")).xAggregatedHosts).toBeUndefined();
    expect((await get(client, "Host", "h1")).status?.isBound).toBeUndefined();
  });

  test("spec.hosts lists Hosts of the group's namespace (source spec), which must exist; the Host's status names the group", async () => {
    const { client } = await start();
    const missing = await expectCode(createObj(client, group("ag", ["h1"])), Code.InvalidArgument);
    expect(missing.rawMessage).toContain("spec.hosts[0]");
    await createObj(client, host("h1", UUID_1));
    const ag = await createObj(client, group("ag", ["h1"]));
    expect(ag.xAggregatedHosts).toEqual([{ ref: ref("Host", "h1", NS), uuid: UUID_1, source: "spec" }]);
    const h = await get(client, "Host", "h1");
    expect(h.status).toMatchObject({ isBound: true, addressGroupName: "edge/ag", addressGroupRef: ref("AddressGroup", "ag") });
    expect(h.status?.bindingRef).toBeUndefined();
    await updateObj(client, { ...ag, spec: { defaultAction: "DROP" } });
    expect((await get(client, "Host", "h1")).status?.isBound).toBeUndefined();
  });

  test("spec.hosts names Hosts of the group's own namespace only", async () => {
    const { client } = await start();
    await createObj(client, host("h1", UUID_1));
    const g = group("ag");
    g.spec!.hosts = [ref("Host", "h1", "other")];
    expect(await causes(createObj(client, g))).toEqual(['spec.hosts[0].namespace: FieldValueInvalid: namespace "other" must equal metadata.namespace "edge"']);
  });

  test("a Host belongs to one group: not listed by two groups, not bound while listed, not bound twice", async () => {
    const { client } = await start();
    await createObj(client, host("h1", UUID_1));
    await createObj(client, host("h2", UUID_2));
    await createObj(client, group("ag", ["h1"]));
    await createObj(client, group("ag2"));
    expect(await causes(createObj(client, group("ag3", ["h1"])))).toEqual(["spec.hosts[0]: FieldValueForbidden: Host edge/h1 already belongs to AddressGroup edge/ag via spec.hosts"]);
    expect(await causes(createObj(client, hostBinding("b1", "h1", "ag2")))).toEqual([
      "spec.hostRef: FieldValueForbidden: Host edge/h1 already belongs to AddressGroup edge/ag via spec.hosts",
    ]);
    await createObj(client, hostBinding("b2", "h2", "ag2"));
    expect(await causes(createObj(client, hostBinding("b3", "h2", "ag")))).toEqual([
      'spec.hostRef: FieldValueDuplicate: HostBinding "edge/b2" already exists for the same Host (a Host is bound at most once)',
    ]);
    expect(await causes(createObj(client, group("ag4", ["h2"])))).toEqual([
      "spec.hosts[0]: FieldValueForbidden: Host edge/h2 already belongs to an AddressGroup via HostBinding edge/b2",
    ]);
  });

  test("a Host in use (bound, or listed in spec.hosts) stays Terminating on delete until released", async () => {
    const { client } = await start();
    await createObj(client, host("h1", UUID_1));
    const ag = await createObj(client, group("ag", ["h1"]));
    const out = await deleteObj(client, await get(client, "Host", "h1"));
    expect(out.metadata.finalizers).toEqual([IN_USE_PROTECTION_FINALIZER]);
    await updateObj(client, { ...(await get(client, "AddressGroup", "ag")), spec: { defaultAction: ag.spec!.defaultAction } });
    await expectCode(get(client, "Host", "h1"), Code.NotFound);
  });

  test("watchers of Hosts and AddressGroups see a binding's effect as MODIFIED events", async () => {
    const { b, client } = await start();
    await createObj(client, group("ag"));
    await createObj(client, host("h1", UUID_1));
    const rv = b.engine.currentRv;
    const hosts = watchFrom(client, kind("Host"), rv);
    const groups = watchFrom(client, kind("AddressGroup"), rv);
    try {
      await createObj(client, hostBinding("h1-in-ag", "h1", "ag"));
      const [h] = await hosts.count(1);
      expect(h!.type).toBe("MODIFIED");
      expect(h!.object!.status?.isBound).toBe(true);
      const [g] = await groups.count(1);
      expect(g!.type).toBe("MODIFIED");
      expect(g!.object!.xAggregatedHosts).toEqual([{ ref: ref("Host", "h1", NS), uuid: UUID_1, source: "binding" }]);
    } finally {
      hosts.stop();
      groups.stop();
    }
  });
});
