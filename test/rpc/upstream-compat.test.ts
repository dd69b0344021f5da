/**
 * Wire compatibility with clients generated from upstream's netguard.v1 proto: fields upstream
 * readers still use are filled, and upstream-only Sync subjects get an answer that names them.
 */
import { describe, expect, test } from "bun:test";
import { fromBinary } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { SyncReqSchema } from "../../src/gen/netguard/v1/service_pb.ts";
import { backendPerTest, expectCode, seedFixtures } from "./rpc-kit.ts";

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

  test.each([
    [10, "networks"],
    [11, "network_bindings"],
    [12, "hosts"],
    [13, "host_bindings"],
  ] as const)("Sync of upstream subject %i is unimplemented and names %s", async (no, name) => {
    const { client } = await start();
    // What an upstream client sends: sync_op = Upsert (1), subject field `no` with one empty item.
    const bytes = new Uint8Array([0x08, 0x01, (no << 3) | 2, 2, 0x0a, 0x00]);
    const req = fromBinary(SyncReqSchema, bytes);
    const err = await expectCode(client.sync(req), Code.Unimplemented);
    expect(err.rawMessage).toContain(`SyncReq.subject ${name} (field ${no})`);
  });

  test("a Sync with no subject at all stays invalid_argument", async () => {
    const { client } = await start();
    await expectCode(client.sync(fromBinary(SyncReqSchema, new Uint8Array([0x08, 0x01]))), Code.InvalidArgument);
  });
});
