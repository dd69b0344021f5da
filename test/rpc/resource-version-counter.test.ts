/** Every change, of any kind, takes the next value of one resourceVersion counter. */
import { describe, expect, test } from "bun:test";
import { SyncOp } from "../../src/gen/netguard/v1/service_pb.ts";
import type { Backend } from "../../src/backend/backend.ts";
import type { KubeObject } from "../../src/kinds/model.ts";
import { sample } from "../helpers/fixtures.ts";
import { createObj, deleteObj, listKind, relabel, updateObj } from "../helpers/rpc-helpers.ts";
import { backendPerTest, kind, syncReq, watchFrom } from "./rpc-kit.ts";

const start = backendPerTest();
const rvOf = (o: KubeObject) => Number(o.metadata.resourceVersion);
/** Events published so far, all kinds: one per version handed out. */
const publishedEvents = (b: Backend) => [...b.engine.events.published.values()].reduce((n, c) => n + c.ADDED + c.MODIFIED + c.DELETED, 0);

describe("one counter across kinds", () => {
  test("interleaved creates, updates and deletes of several kinds get consecutive resourceVersions", async () => {
    const { b, client } = await start();
    // one commit per write; a commit may carry derived changes after the written object (an
    // AddressGroup's port mapping, a binding's Service and mapping), each with its own version
    const rvs: number[] = [];
    const track = async (p: Promise<KubeObject>) => {
      const before = b.engine.currentRv;
      const o = await p;
      expect(rvOf(o)).toBe(before + 1);
      for (let rv = before + 1; rv <= b.engine.currentRv; rv++) rvs.push(rv);
      return o;
    };
    const alias = sample("ServiceAlias", 1);
    const binding = sample("AddressGroupBinding", 2);
    const svc = await track(createObj(client, alias.needs[0]!));
    const bsvc = await track(createObj(client, binding.needs[0]!));
    const bag = await track(createObj(client, binding.needs[1]!));
    const al = await track(createObj(client, alias.object));
    await track(updateObj(client, relabel(bag, "x")));
    const bind = await track(createObj(client, binding.object));
    await track(updateObj(client, relabel(svc, "y")));
    await track(deleteObj(client, bind));
    await track(updateObj(client, relabel(al, "z")));
    await track(deleteObj(client, bsvc));
    expect(rvs).toEqual(rvs.map((_, i) => i + 1));
    expect(b.engine.currentRv).toBe(rvs.length);
    expect(publishedEvents(b)).toBe(rvs.length);
    // every List and SyncStatus reports the same newest version, whatever the kind
    for (const k of ["Service", "AddressGroup", "ServiceAlias", "IEAgAgRule"]) {
      expect((await listKind(client, kind(k))).resourceVersion).toBe(rvs.length);
    }
    expect((await client.syncStatus({})).resourceVersion).toBe(String(rvs.length));
  });

  test("concurrent writes of different kinds never share or skip a resourceVersion", async () => {
    const { b, client } = await start();
    const writes: Promise<KubeObject>[] = [];
    for (let i = 0; i < 20; i++) {
      writes.push(createObj(client, sample("Service", i).object));
      writes.push(createObj(client, sample("AddressGroup", i).object));
    }
    const rvs = (await Promise.all(writes)).map(rvOf);
    const mappings = (await listKind(client, kind("AddressGroupPortMapping"))).items.map(rvOf);
    // 20 Services, 20 AddressGroups and the 20 port mappings their commits created
    const all = [...rvs, ...mappings].sort((x, y) => x - y);
    expect(all).toEqual(all.map((_, i) => i + 1));
    expect(b.engine.currentRv).toBe(60);
    expect(publishedEvents(b)).toBe(60);
  });

  test("a Sync batch of N objects takes N consecutive versions in one go", async () => {
    const { b, client } = await start();
    await createObj(client, sample("AddressGroup", 0).object);
    const rv0 = b.engine.currentRv;
    const Service = kind("Service");
    const w = watchFrom(client, Service, rv0);
    const batch = [1, 2, 3, 4, 5].map((n) => sample("Service", n).object);
    // an unrelated writer races with the batch: it may come before or after, never inside
    const [, other] = await Promise.all([client.sync(syncReq(SyncOp.Upsert, Service, batch)), createObj(client, sample("AddressGroup", 9).object)]);
    const seen = await w.count(5);
    const batchRvs = seen.map((e) => e.rv);
    expect(seen.map((e) => e.name)).toEqual(batch.map((o) => o.metadata.name));
    expect(batchRvs).toEqual(batchRvs.map((_, i) => batchRvs[0]! + i));
    expect(rvOf(other) < batchRvs[0]! || rvOf(other) > batchRvs[4]!).toBe(true);
    // five Services, the AddressGroup and its port mapping
    expect(b.engine.currentRv).toBe(rv0 + 7);
    w.stop();
  });
});
