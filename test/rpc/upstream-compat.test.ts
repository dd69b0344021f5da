/**
 * Wire compatibility with clients generated from upstream's netguard.v1 proto: fields upstream
 * readers still use are filled, and the Sync subjects upstream added last (networks, network
 * bindings, hosts, host bindings: fields 10-13) are served.
 */
import { describe, expect, test } from "bun:test";
import { fromBinary } from "@bufbuild/protobuf";
import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import { Code } from "@connectrpc/connect";
import { HostRegistrationSource } from "../../src/gen/netguard/v1/resources_pb.ts";
import { SyncOp, SyncReqSchema } from "../../src/gen/netguard/v1/service_pb.ts";
import { API_VERSION } from "../../src/kinds/model.ts";
import { backendPerTest, expectCode, kind, seedFixtures, syncReq } from "./rpc-kit.ts";

/** A protobuf message from [field number, value] pairs: strings and nested messages length-delimited, numbers varint. */
function msg(fields: [number, string | number | Uint8Array][]): Uint8Array {
  const w = new BinaryWriter();
  for (const [no, v] of fields) {
    if (typeof v === "number") w.tag(no, WireType.Varint).int32(v);
    else if (typeof v === "string") w.tag(no, WireType.LengthDelimited).string(v);
    else w.tag(no, WireType.LengthDelimited).bytes(v);
  }
  return w.finish();
}

const start = backendPerTest();

describe("upstream clients", () => {
  test("RuleS2S carries its generated rules in the legacy field 5 as well as in field 8", async () => {
    const { client } = await start();
    await seedFixtures(client);
    const res = await client.getRuleS2S({ identifier: { namespace: "shop", name: "frontend-to-backend" } });
    const rule = res.ruleS2s!;
    expect(rule.ieagAgRuleObjectRefs.length).toBeGreaterThan(0);
    expect(rule.ieagAgRuleRefs.map((r) => ({ name: r.name, namespace: r.namespace }))).toEqual(
      rule.ieagAgRuleObjectRefs.map((r) => ({ name: r.name, namespace: r.namespace })),
    );
    const listed = await client.listRuleS2S({});
    expect(listed.items.length).toBeGreaterThan(0);
    for (const r of listed.items) expect(r.ieagAgRuleRefs.length).toBe(r.ieagAgRuleObjectRefs.length);
  });

  test("Sync of subjects 10-13 as upstream's client encodes them (references without namespace) is applied, and the AddressGroup shows its networks and hosts", async () => {
    const { client } = await start();
    await client.sync(syncReq(SyncOp.Upsert, kind("AddressGroup"), [{ apiVersion: API_VERSION, kind: "AddressGroup", metadata: { name: "ag", namespace: "edge" }, spec: { defaultAction: "DROP" } }]));
    const self = (name: string) => msg([[1, name], [2, "edge"]]);
    const objectRef = (k: string, name: string) => msg([[1, API_VERSION], [2, k], [3, name]]);
    const namespacedRef = (k: string, name: string) => msg([[1, API_VERSION], [2, k], [3, name], [4, "edge"]]);
    // upstream's netguard.v1: Network{self_ref=1, cidr=2}, NetworkBinding{self_ref=1, network_ref=2,
    // address_group_ref=3 (ObjectReference)}, Host{self_ref=1, uuid=2}, HostBinding{self_ref=1,
    // host_ref=2, address_group_ref=3 (NamespacedObjectReference)}; each subject wraps field 1
    const subjects: [number, Uint8Array][] = [
      [10, msg([[1, self("office")], [2, "10.20.0.0/16"]])],
      [11, msg([[1, self("office-in-ag")], [2, objectRef("Network", "office")], [3, objectRef("AddressGroup", "ag")]])],
      [12, msg([[1, self("web-1")], [2, "6f1c2a3e-5b7d-4c8e-9f10-1a2b3c4d5e6f"]])],
      [13, msg([[1, self("web-1-in-ag")], [2, namespacedRef("Host", "web-1")], [3, namespacedRef("AddressGroup", "ag")]])],
    ];
    for (const [no, item] of subjects) {
      // sync_op = Upsert (2), subject field `no` holding one item
      await client.sync(fromBinary(SyncReqSchema, msg([[1, 2], [no, msg([[1, item]])]])));
    }
    const ag = (await client.getAddressGroup({ identifier: { namespace: "edge", name: "ag" } })).addressGroup!;
    expect(ag.networks.map((n) => ({ name: n.name, cidr: n.cidr, kind: n.kind, namespace: n.namespace }))).toEqual([
      { name: "edge/office", cidr: "10.20.0.0/16", kind: "Network", namespace: "edge" },
    ]);
    expect(ag.aggregatedHosts.map((h) => ({ name: h.ref?.name, uuid: h.uuid, source: h.source }))).toEqual([
      { name: "web-1", uuid: "6f1c2a3e-5b7d-4c8e-9f10-1a2b3c4d5e6f", source: HostRegistrationSource.HOST_SOURCE_BINDING },
    ]);
    const net = (await client.getNetwork({ identifier: { namespace: "edge", name: "office" } })).network!;
    expect([net.isBound, net.bindingRef?.name, net.addressGroupRef?.name]).toEqual([true, "office-in-ag", "ag"]);
    const binding = (await client.listNetworkBindings({})).items[0]!;
    expect(binding.networkItem?.cidr).toBe("10.20.0.0/16");
    const host = (await client.getHost({ identifier: { namespace: "edge", name: "web-1" } })).host!;
    expect([host.isBound, host.addressGroupName, host.bindingRef?.name]).toEqual([true, "edge/ag", "web-1-in-ag"]);
  });

  test("a Sync with no subject at all stays invalid_argument", async () => {
    const { client } = await start();
    await expectCode(client.sync(fromBinary(SyncReqSchema, new Uint8Array([0x08, 0x01]))), Code.InvalidArgument);
  });
});
