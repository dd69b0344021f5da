/** Watch filters by namespace, label selector and field selector, in the snapshot and live. */
import { describe, expect, test } from "bun:test";
import type { KubeObject } from "../../src/kinds/model.ts";
import { createObj, deleteObj, relabel, updateObj } from "../helpers/rpc-helpers.ts";
import { backendPerTest, kind, seedFixtures, watchFrom, type NgClient } from "./rpc-kit.ts";

const start = backendPerTest();
const Service = kind("Service");

const svc = (name: string, namespace: string, labels?: Record<string, string>, port = 20_000): KubeObject => ({
  apiVersion: "netguard.sgroups.io/v1beta1",
  kind: "Service",
  metadata: { name, namespace, ...(labels ? { labels } : {}) },
  spec: { ingressPorts: [{ protocol: "TCP", port: String(port) }] },
});

/**
 * With the fixtures in place, opens a filtered watch (snapshot first), then writes a mix of matching
 * and non-matching changes and finally `last` (which must match). Returns snapshot and live names.
 */
async function run(filter: Record<string, unknown>, last: KubeObject) {
  const { client } = await start();
  await seedFixtures(client);
  const w = watchFrom(client, Service, "0", filter);
  await w.until((es) => es.some((e) => e.initialEventsEnd));
  const snapshot = w.events.filter((e) => e.type === "ADDED").map((e) => `${e.object!.metadata.namespace}/${e.name}`);
  await writeMix(client);
  await createObj(client, last);
  await w.until((es) => es.some((e) => e.name === last.metadata.name));
  const live = w.events.slice(w.events.findIndex((e) => e.initialEventsEnd) + 1).map((e) => `${e.type} ${e.object!.metadata.namespace}/${e.name}`);
  w.stop();
  return { snapshot, live };
}

async function writeMix(client: NgClient) {
  await createObj(client, svc("web-2", "shop", { tier: "web" }, 20_001));
  await createObj(client, svc("api-2", "payments", { tier: "api" }, 20_002));
  const plain = await createObj(client, svc("plain", "infra", undefined, 20_003));
  await updateObj(client, { ...plain, metadata: { ...plain.metadata, annotations: { touched: "yes" } } });
  await deleteObj(client, plain);
}

describe("Watch filters", () => {
  test("namespace: only that namespace, in the snapshot and live", async () => {
    const { snapshot, live } = await run({ namespace: "payments" }, svc("last", "payments"));
    expect(snapshot).toEqual(["payments/billing"]);
    expect(live).toEqual(["ADDED payments/api-2", "ADDED payments/last"]);
  });

  test("label selector equality: tier=web", async () => {
    const { snapshot, live } = await run({ labelSelector: "tier=web" }, svc("last", "infra", { tier: "web" }));
    expect(snapshot).toEqual(["shop/frontend"]);
    expect(live).toEqual(["ADDED shop/web-2", "ADDED infra/last"]);
  });

  test("label selector set-based: tier in (web,api)", async () => {
    const { snapshot, live } = await run({ labelSelector: "tier in (web,api)" }, svc("last", "infra", { tier: "api" }));
    expect(snapshot).toEqual(["shop/backend", "shop/frontend"]);
    expect(live).toEqual(["ADDED shop/web-2", "ADDED payments/api-2", "ADDED infra/last"]);
  });

  test("label selector set-based: tier notin (web) includes objects without the label", async () => {
    const { snapshot, live } = await run({ labelSelector: "tier notin (web)" }, svc("last", "infra"));
    expect(snapshot).toEqual(["payments/billing", "shop/backend", "shop/worker"]);
    expect(live).toEqual(["ADDED payments/api-2", "ADDED infra/plain", "MODIFIED infra/plain", "DELETED infra/plain", "ADDED infra/last"]);
  });

  test("label selector exists: tier, and not-exists: !tier", async () => {
    const exists = await run({ labelSelector: "tier" }, svc("last", "infra", { tier: "" }));
    expect(exists.snapshot).toEqual(["shop/backend", "shop/frontend"]);
    expect(exists.live).toEqual(["ADDED shop/web-2", "ADDED payments/api-2", "ADDED infra/last"]);
    const missing = await run({ labelSelector: "!tier" }, svc("last", "infra"));
    expect(missing.snapshot).toEqual(["payments/billing", "shop/worker"]);
    expect(missing.live).toEqual(["ADDED infra/plain", "MODIFIED infra/plain", "DELETED infra/plain", "ADDED infra/last"]);
  });

  test("field selector metadata.name: only objects of that name, in any namespace", async () => {
    const { snapshot, live } = await run({ fieldSelector: "metadata.name=plain" }, svc("plain", "shop", undefined, 20_009));
    expect(snapshot).toEqual([]);
    expect(live).toEqual(["ADDED infra/plain", "MODIFIED infra/plain", "DELETED infra/plain", "ADDED shop/plain"]);
  });

  test("namespace, label and field filters combine", async () => {
    const { snapshot, live } = await run(
      { namespace: "shop", labelSelector: "tier", fieldSelector: "metadata.name!=frontend" },
      svc("last", "shop", { tier: "x" }),
    );
    expect(snapshot).toEqual(["shop/backend"]);
    expect(live).toEqual(["ADDED shop/web-2", "ADDED shop/last"]);
  });

  test("a filtered watch resumed from a resourceVersion gets only the matching later changes", async () => {
    const { b, client } = await start();
    await seedFixtures(client);
    const rv0 = b.engine.currentRv;
    await writeMix(client);
    const w = watchFrom(client, Service, rv0, { labelSelector: "tier=web" });
    await createObj(client, svc("last", "shop", { tier: "web" }));
    await w.until((es) => es.some((e) => e.name === "last"));
    expect(w.events.map((e) => `${e.type} ${e.name}`)).toEqual(["ADDED web-2", "ADDED last"]);
    w.stop();
  });

  test("relabelling a matching object keeps it MODIFIED for a label-filtered watcher", async () => {
    const { b, client } = await start();
    const objs = await seedFixtures(client);
    const w = watchFrom(client, Service, b.engine.currentRv, { labelSelector: "tier=web" });
    await updateObj(client, relabel(objs.find((o) => o.metadata.name === "frontend")!, "2"));
    const [ev] = await w.count(1);
    expect([ev!.type, ev!.name, ev!.object!.metadata.labels]).toEqual(["MODIFIED", "frontend", { tier: "web", rev: "2" }]);
    w.stop();
  });
});
