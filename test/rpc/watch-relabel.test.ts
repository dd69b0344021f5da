/** A label-filtered watcher sees objects enter (ADDED) and leave (DELETED) its selection by relabelling. */
import { describe, expect, test } from "bun:test";
import type { KubeObject } from "../../src/kinds/model.ts";
import { sample } from "../helpers/fixtures.ts";
import { createAll, createObj, deleteObj, updateObj } from "../helpers/rpc-helpers.ts";
import { backendPerTest, kind, seedFixtures, watchFrom } from "./rpc-kit.ts";

const start = backendPerTest();

const withLabels = (o: KubeObject, labels: Record<string, string>): KubeObject => ({ ...structuredClone(o), metadata: { ...o.metadata, labels } });

describe.each([
  ["Service", "worker", "tier=web"],
  ["AddressGroup", "ag-worker", "tier in (web,api)"],
  ["IEAgAgRule", "worker-ssh-block", "tier"],
] as const)("%s relabelled across a label-filtered watch", (kindName, name, selector) => {
  test("into the selection arrives as ADDED, out of it as DELETED, back in as ADDED; changes outside are not seen", async () => {
    const { b, client } = await start();
    const objs = await seedFixtures(client);
    const k = kind(kindName);
    let obj = objs.find((o) => o.kind === kindName && o.metadata.name === name)!;
    const w = watchFrom(client, k, b.engine.currentRv, { labelSelector: selector });

    obj = await updateObj(client, withLabels(obj, { tier: "web" })); // enters
    const enteredRv = Number(obj.metadata.resourceVersion);
    obj = await updateObj(client, withLabels(obj, { tier: "web", x: "1" })); // stays
    obj = await updateObj(client, withLabels(obj, { tier: "db" })); // leaves (tier=db matches only "tier")
    const leftRv = Number(obj.metadata.resourceVersion);
    obj = await updateObj(client, withLabels(obj, { other: "1" }));
    obj = await updateObj(client, withLabels(obj, { tier: "api" })); // back in for set/exists selectors
    const backRv = Number(obj.metadata.resourceVersion);
    obj = await updateObj(client, withLabels(obj, { tier: "web", final: "yes" }));
    const finalRv = Number(obj.metadata.resourceVersion);
    await w.until((es) => es.some((e) => e.rv === finalRv));

    const got = w.events.map((e) => [e.type, e.name, e.rv]);
    if (selector === "tier=web") {
      expect(got).toEqual([
        ["ADDED", name, enteredRv],
        ["MODIFIED", name, enteredRv + 1],
        ["DELETED", name, leftRv],
        ["ADDED", name, finalRv],
      ]);
      // the DELETED event carries the object's state after it left
      expect(w.events[2]!.object!.metadata.labels).toEqual({ tier: "db" });
    } else if (selector === "tier in (web,api)") {
      expect(got).toEqual([
        ["ADDED", name, enteredRv],
        ["MODIFIED", name, enteredRv + 1],
        ["DELETED", name, leftRv],
        ["ADDED", name, backRv],
        ["MODIFIED", name, finalRv],
      ]);
    } else {
      expect(got).toEqual([
        ["ADDED", name, enteredRv],
        ["MODIFIED", name, enteredRv + 1],
        ["MODIFIED", name, leftRv],
        ["DELETED", name, leftRv + 1],
        ["ADDED", name, backRv],
        ["MODIFIED", name, finalRv],
      ]);
    }
    w.stop();
  });
});

describe("deletes and filters", () => {
  test("deleting an object outside the selection is not seen; deleting one inside is DELETED", async () => {
    const { b, client } = await start();
    const objs = await seedFixtures(client);
    const Rule = kind("IEAgAgRule");
    const s = sample("IEAgAgRule", 1);
    await createAll(client, s.needs);
    const unlabelled = await createObj(client, s.object);
    const w = watchFrom(client, Rule, b.engine.currentRv, { labelSelector: "owner=secops" });
    const rule = objs.find((o) => o.metadata.name === "worker-ssh-block")!;
    await deleteObj(client, unlabelled);
    const gone = await deleteObj(client, rule);
    const [ev] = await w.count(1);
    expect(w.events.map((e) => [e.type, e.name, e.rv])).toEqual([["DELETED", "worker-ssh-block", Number(gone.metadata.resourceVersion)]]);
    expect(ev!.object!.metadata.labels).toEqual({ owner: "secops" });
    w.stop();
  });
});
