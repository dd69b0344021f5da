/** List RPCs select by identifiers, label selectors and field selectors, at the newest version. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Backend } from "../../src/backend/backend.ts";
import { fromProto } from "../../src/kinds/convert.ts";
import { clientFor, startTestBackend } from "../helpers/backend-harness.ts";
import { createObj } from "../helpers/rpc-helpers.ts";
import { kind, seedFixtures, type NgClient } from "./rpc-kit.ts";

const Service = kind("Service");
let b: Backend;
let client: NgClient;

beforeAll(async () => {
  b = await startTestBackend();
  client = clientFor(b.url);
  await seedFixtures(client);
  // Services now: shop/frontend (tier=web), shop/backend (tier=api), shop/worker, payments/billing; plus:
  await createObj(client, {
    apiVersion: "netguard.sgroups.io/v1beta1",
    kind: "Service",
    metadata: { name: "cache", namespace: "infra", labels: { tier: "cache" } },
    spec: { ingressPorts: [{ protocol: "TCP", port: "6379" }] },
  });
});
afterAll(() => b.close());

async function list(identifiers: { namespace: string; name?: string }[], query: Record<string, unknown> = {}) {
  const res = await client.listServices({ identifiers: identifiers.map((i) => ({ namespace: i.namespace, name: i.name ?? "" })), query });
  return { keys: res.items.map((m) => fromProto(Service, m)).map((o) => `${o.metadata.namespace}/${o.metadata.name}`), rv: Number(res.resourceVersion) };
}

describe("List identifiers", () => {
  test("no identifiers lists everything, sorted by namespace then name", async () => {
    expect((await list([])).keys).toEqual(["infra/cache", "payments/billing", "shop/backend", "shop/frontend", "shop/worker"]);
  });

  test("an identifier with only a namespace selects that namespace", async () => {
    expect((await list([{ namespace: "shop" }])).keys).toEqual(["shop/backend", "shop/frontend", "shop/worker"]);
  });

  test("exact identifiers are ORed, and a missing one selects nothing", async () => {
    expect((await list([{ namespace: "shop", name: "worker" }, { namespace: "payments", name: "billing" }, { namespace: "shop", name: "nope" }])).keys).toEqual([
      "payments/billing",
      "shop/worker",
    ]);
    expect((await list([{ namespace: "nowhere" }])).keys).toEqual([]);
  });
});

describe("List label selectors", () => {
  test.each([
    ["tier=web", ["shop/frontend"]],
    ["tier==web", ["shop/frontend"]],
    ["tier!=web", ["infra/cache", "payments/billing", "shop/backend", "shop/worker"]],
    ["tier in (web,api)", ["shop/backend", "shop/frontend"]],
    ["tier in (web, api)", ["shop/backend", "shop/frontend"]],
    ["tier notin (web)", ["infra/cache", "payments/billing", "shop/backend", "shop/worker"]],
    ["tier", ["infra/cache", "shop/backend", "shop/frontend"]],
    ["!tier", ["payments/billing", "shop/worker"]],
    ["tier,tier notin (cache,api)", ["shop/frontend"]],
    ["tier=nothing", []],
  ] as const)("%s", async (labelSelector, expected) => {
    expect((await list([], { labelSelector })).keys).toEqual([...expected]);
  });

  test("label selectors combine with identifiers", async () => {
    expect((await list([{ namespace: "shop" }], { labelSelector: "tier" })).keys).toEqual(["shop/backend", "shop/frontend"]);
  });
});

describe("List field selectors", () => {
  test.each([
    ["metadata.name=worker", ["shop/worker"]],
    ["metadata.namespace!=shop", ["infra/cache", "payments/billing"]],
    ["metadata.namespace=shop,metadata.name!=worker", ["shop/backend", "shop/frontend"]],
    ["metadata.name==cache", ["infra/cache"]],
  ] as const)("%s", async (fieldSelector, expected) => {
    expect((await list([], { fieldSelector })).keys).toEqual([...expected]);
  });

  test("field and label selectors combine", async () => {
    expect((await list([], { fieldSelector: "metadata.namespace!=infra", labelSelector: "tier" })).keys).toEqual(["shop/backend", "shop/frontend"]);
  });
});

describe("List resourceVersion", () => {
  test("equals the newest committed version, whatever the kind and filter", async () => {
    expect((await list([])).rv).toBe(b.engine.currentRv);
    expect((await list([{ namespace: "nowhere" }])).rv).toBe(b.engine.currentRv);
    const ieRes = await client.listIEAgAgRules({ identifiers: [], query: { labelSelector: "owner=secops" } });
    expect(Number(ieRes.resourceVersion)).toBe(b.engine.currentRv);
  });
});
