/** limit + continue token paging returns every item exactly once, even while objects change. */
import { describe, expect, test } from "bun:test";
import { SyncOp } from "../../src/gen/netguard/v1/service_pb.ts";
import type { KubeObject } from "../../src/kinds/model.ts";
import { sample } from "../helpers/fixtures.ts";
import { createObj, deleteObj, listKind } from "../helpers/rpc-helpers.ts";
import { backendPerTest, kind, syncReq, type NgClient } from "./rpc-kit.ts";

const start = backendPerTest();
const Service = kind("Service");
const key = (o: KubeObject) => `${o.metadata.namespace}/${o.metadata.name}`;

/** 23 Services over three namespaces, every third one labelled tier=web. */
function services(): KubeObject[] {
  return Array.from({ length: 23 }, (_, i) => {
    const o = sample("Service", i).object;
    o.metadata.namespace = ["a-ns", "b-ns", "c-ns"][i % 3]!;
    if (i % 3 === 0) o.metadata.labels = { tier: "web" };
    return o;
  });
}

async function seed(client: NgClient) {
  const objs = services();
  for (const ns of ["a-ns", "b-ns", "c-ns"]) {
    await client.sync(syncReq(SyncOp.Upsert, Service, objs.filter((o) => o.metadata.namespace === ns)));
  }
  return objs;
}

async function pages(client: NgClient, query: Record<string, unknown>, between?: (page: number, seen: KubeObject[]) => Promise<void>) {
  const all: KubeObject[] = [];
  const sizes: number[] = [];
  const rvs: number[] = [];
  let continueToken = "";
  for (let page = 0; page < 100; page++) {
    const res = await listKind(client, Service, { ...query, continueToken });
    all.push(...res.items);
    sizes.push(res.items.length);
    rvs.push(res.resourceVersion);
    continueToken = res.continueToken;
    if (!continueToken) break;
    await between?.(page, all);
  }
  return { all, sizes, rvs };
}

describe("List paging", () => {
  test("limit 5 walks all 23 items exactly once, in order, with a token on every page but the last", async () => {
    const { b, client } = await start();
    const objs = await seed(client);
    const { all, sizes, rvs } = await pages(client, { limit: 5 });
    expect(sizes).toEqual([5, 5, 5, 5, 3]);
    expect(all.map(key)).toEqual(objs.map(key).sort());
    expect(rvs.every((rv) => rv === b.engine.currentRv)).toBe(true);
  });

  test("a limit equal to the number of items gives one page and no token", async () => {
    const { client } = await start();
    await seed(client);
    const res = await listKind(client, Service, { limit: 23 });
    expect(res.items).toHaveLength(23);
    expect(res.continueToken).toBe("");
  });

  test("paging composes with a label selector", async () => {
    const { client } = await start();
    const objs = await seed(client);
    const { all, sizes } = await pages(client, { limit: 3, labelSelector: "tier=web" });
    expect(all.map(key)).toEqual(objs.filter((o) => o.metadata.labels?.tier === "web").map(key).sort());
    expect(sizes.every((n) => n <= 3)).toBe(true);
  });

  test("objects created or deleted between pages never cause duplicates, and survivors are all seen", async () => {
    const { b, client } = await start();
    const objs = await seed(client);
    const sorted = objs.map(key).sort();
    const deleted = new Set<string>();
    const { all, rvs } = await pages(client, { limit: 4 }, async (page, seen) => {
      // delete something not yet listed, and add something after the cursor
      const seenKeys = new Set(seen.map(key));
      const victim = objs.findLast((o) => !seenKeys.has(key(o)) && !deleted.has(key(o)));
      if (victim) {
        await deleteObj(client, victim);
        deleted.add(key(victim));
      }
      await createObj(client, { ...sample("Service", 500 + page).object, metadata: { name: `late-${page}`, namespace: "z-ns" } });
    });
    const keys = all.map(key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const k of sorted) if (!deleted.has(k)) expect(keys).toContain(k);
    for (const k of deleted) expect(keys).not.toContain(k);
    // each page reports the newest version at the time it was taken
    expect(rvs.at(-1)).toBe(b.engine.currentRv);
    expect([...rvs].sort((x, y) => x - y)).toEqual(rvs);
  });
});
