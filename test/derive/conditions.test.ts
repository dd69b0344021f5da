/**
 * Conditions are computed in the same transaction as their cause, and `lastTransitionTime` moves
 * only when a condition's status flips. The engine runs on a fake clock here, so "unchanged" is
 * distinguishable from "rewritten within the same second".
 */
import { afterEach, describe, expect, test } from "bun:test";
import { createEngine, type Engine } from "../../src/backend/engine/engine.ts";
import { createMemoryPersistence } from "../../src/backend/store/memory-persistence.ts";
import { formatTime } from "../../src/kinds/convert.ts";
import { kindByName } from "../../src/kinds/kind-table.ts";
import { API_VERSION, type Condition, type KubeObject } from "../../src/kinds/model.ts";
import { allFixtures } from "../helpers/fixtures.ts";
import { createObj } from "../helpers/rpc-helpers.ts";
import { backendPerTest, kind, watchFrom } from "../rpc/rpc-kit.ts";
import { condition } from "./derive-kit.ts";

const T0 = Date.parse("2025-01-01T00:00:00Z");
const ref = (k: string, namespace: string, name: string) => ({ apiVersion: API_VERSION, kind: k, name, namespace });
const k = (name: string) => kindByName(name)!;

const engines: Engine[] = [];
afterEach(async () => {
  while (engines.length) await engines.pop()!.close();
});

/** An engine on a clock the test moves, seeded with the §8 fixtures at T0. */
async function seededEngine() {
  let now = T0;
  const engine = await createEngine({ persistence: createMemoryPersistence(), retention: { maxEvents: 0, maxAgeMs: 0 }, ringCapacity: 1024, trimIntervalMs: 0, now: () => new Date(now) });
  engines.push(engine);
  for (const o of allFixtures()) await engine.create(k(o.kind), o);
  return { engine, tick: (ms: number) => void (now += ms), get: (kind: string, ns: string, name: string) => engine.get(k(kind), ns, name)! };
}

const transitionTimes = (o: KubeObject) => ((o.status?.conditions ?? []) as Condition[]).map((c) => [c.type, c.lastTransitionTime]);

/** Every object of every kind with its condition transition times. */
function allTransitions(engine: Engine): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const kindName of ["Service", "AddressGroup", "AddressGroupBinding", "AddressGroupPortMapping", "RuleS2S", "ServiceAlias", "AddressGroupBindingPolicy", "IEAgAgRule"]) {
    for (const o of engine.list(k(kindName), {}).items) out.set(`${kindName} ${o.metadata.namespace}/${o.metadata.name}`, transitionTimes(o));
  }
  return out;
}

describe("conditions", () => {
  test("every object carries Ready/Validated (and Synced where derived data hangs off it) with observedGeneration", async () => {
    const { get } = await seededEngine();
    const types = (o: KubeObject) => ((o.status?.conditions ?? []) as Condition[]).map((c) => `${c.type}=${c.status}/${c.reason}`);
    expect(types(get("Service", "shop", "frontend"))).toEqual(["Ready=True/Ready", "Validated=True/Validated", "Synced=True/Synced"]);
    expect(types(get("RuleS2S", "shop", "frontend-to-backend"))).toEqual(["Ready=True/Ready", "Validated=True/Validated", "Synced=True/Synced"]);
    expect(types(get("ServiceAlias", "shop", "frontend-alias"))).toEqual(["Ready=True/Ready", "Validated=True/Validated"]);
    expect(types(get("AddressGroupPortMapping", "shop", "ag-frontend"))).toEqual(["Ready=True/Ready", "Validated=True/Validated"]);
    for (const o of [get("Service", "shop", "frontend"), get("IEAgAgRule", "shop", "worker-ssh-block")]) {
      expect(o.status!.observedGeneration).toBe(1);
      for (const c of o.status!.conditions as Condition[]) expect(c).toMatchObject({ observedGeneration: 1, lastTransitionTime: formatTime(new Date(T0)) });
    }
  });

  test("unrelated writes, relabels and spec edits that flip nothing leave every lastTransitionTime alone", async () => {
    const { engine, tick, get } = await seededEngine();
    const before = allTransitions(engine);
    tick(60_000);
    const relabel = (o: KubeObject) => ({ ...structuredClone(o), metadata: { ...o.metadata, labels: { touched: "yes" } } });
    await engine.update(k("Service"), relabel(get("Service", "shop", "frontend")));
    await engine.update(k("RuleS2S"), relabel(get("RuleS2S", "shop", "frontend-to-backend")));
    await engine.update(k("AddressGroupPortMapping"), relabel(get("AddressGroupPortMapping", "shop", "ag-backend")));
    await engine.create(k("AddressGroup"), { apiVersion: API_VERSION, kind: "AddressGroup", metadata: { name: "ag-other", namespace: "shop" }, spec: { defaultAction: "DROP" } });
    const edited = structuredClone(get("Service", "shop", "worker"));
    edited.spec!.description = "now with a description";
    const worker = await engine.update(k("Service"), edited);
    tick(60_000);
    // a port change regenerates rules and mappings, but flips no condition
    const backend = structuredClone(get("Service", "shop", "backend"));
    (backend.spec!.ingressPorts as unknown[]).push({ protocol: "TCP", port: "9090" });
    await engine.update(k("Service"), backend);

    const after = allTransitions(engine);
    after.delete("AddressGroup shop/ag-other");
    after.delete("AddressGroupPortMapping shop/ag-other");
    expect(after).toEqual(before);
    // the spec edit moved observedGeneration, not the transition time
    expect(worker.metadata.generation).toBe(2);
    expect(condition(worker, "Ready")).toMatchObject({ observedGeneration: 2, lastTransitionTime: formatTime(new Date(T0)) });
    expect(worker.status!.observedGeneration).toBe(2);
  });

  test("a flip takes the time of the transaction that caused it, in that transaction; the others keep theirs", async () => {
    const { engine, tick, get } = await seededEngine();
    tick(120_000);
    const t1 = formatTime(new Date(T0 + 120_000));
    const rv0 = engine.currentRv;
    const backend = structuredClone(get("Service", "shop", "backend"));
    delete backend.spec!.addressGroups;
    await engine.update(k("Service"), backend);

    const rule = get("RuleS2S", "shop", "frontend-to-backend");
    expect(condition(rule, "Ready")).toMatchObject({ status: "False", reason: "NotReady", lastTransitionTime: t1 });
    expect(condition(rule, "Error")).toMatchObject({ status: "True", reason: "DependencyError", lastTransitionTime: t1 });
    expect(condition(rule, "Validated")!.lastTransitionTime).toBe(formatTime(new Date(T0)));
    // caused by the Service update and written in its commit: no later, separate write
    expect(Number(rule.metadata.resourceVersion)).toBeGreaterThan(rv0);
    expect(Number(rule.metadata.resourceVersion)).toBeLessThanOrEqual(engine.currentRv);
    const rvAfter = engine.currentRv;
    tick(1000);
    await new Promise((r) => setTimeout(r, 50));
    expect(engine.currentRv).toBe(rvAfter);

    tick(60_000);
    const t2 = formatTime(new Date(T0 + 181_000));
    const back = structuredClone(get("Service", "shop", "backend"));
    back.spec!.addressGroups = [ref("AddressGroup", "shop", "ag-backend")];
    await engine.update(k("Service"), back);
    const again = get("RuleS2S", "shop", "frontend-to-backend");
    expect(condition(again, "Ready")).toMatchObject({ status: "True", reason: "Ready", lastTransitionTime: t2 });
    expect(condition(again, "Error")).toBeUndefined();
  });

  test("a policy whose AddressGroup is deleted turns NotReady in the delete's commit", async () => {
    const { engine, get } = await seededEngine();
    await engine.create(k("AddressGroup"), { apiVersion: API_VERSION, kind: "AddressGroup", metadata: { name: "ag-temp", namespace: "infra" }, spec: { defaultAction: "DROP" } });
    await engine.create(k("AddressGroupBindingPolicy"), {
      apiVersion: API_VERSION,
      kind: "AddressGroupBindingPolicy",
      metadata: { name: "allow-temp", namespace: "infra" },
      spec: { addressGroupRef: ref("AddressGroup", "infra", "ag-temp"), serviceRef: ref("Service", "payments", "billing") },
    });
    expect(condition(get("AddressGroupBindingPolicy", "infra", "allow-temp"), "Ready")?.status).toBe("True");
    const gone = await engine.delete(k("AddressGroup"), "infra", "ag-temp");
    const policy = get("AddressGroupBindingPolicy", "infra", "allow-temp");
    expect(condition(policy, "Ready")).toMatchObject({ status: "False", reason: "NotReady", message: "AddressGroup infra/ag-temp not found" });
    expect(condition(policy, "Error")?.reason).toBe("DependencyError");
    expect(Number(policy.metadata.resourceVersion)).toBeGreaterThan(Number(gone.metadata.resourceVersion));
    // and Ready again when the group comes back
    await engine.create(k("AddressGroup"), { apiVersion: API_VERSION, kind: "AddressGroup", metadata: { name: "ag-temp", namespace: "infra" }, spec: { defaultAction: "DROP" } });
    expect(condition(get("AddressGroupBindingPolicy", "infra", "allow-temp"), "Ready")?.status).toBe("True");
  });
});

describe("conditions over the Connect API", () => {
  const start = backendPerTest();
  test("a create's event already carries its conditions, and no delayed second write follows", async () => {
    const { b, client } = await start();
    await createObj(client, { apiVersion: API_VERSION, kind: "AddressGroup", metadata: { name: "ag-x", namespace: "shop" }, spec: { defaultAction: "DROP" } });
    const rv0 = b.engine.currentRv;
    const w = watchFrom(client, kind("Service"), rv0);
    const made = await createObj(client, { apiVersion: API_VERSION, kind: "Service", metadata: { name: "svc-x", namespace: "shop" }, spec: { ingressPorts: [{ protocol: "TCP", port: "1" }] } });
    const [ev] = await w.count(1);
    expect(ev!.type).toBe("ADDED");
    expect(condition(ev!.object, "Ready")?.status).toBe("True");
    expect(ev!.object).toEqual(made);
    await new Promise((r) => setTimeout(r, 300));
    expect(w.events.length).toBe(1);
    expect(b.engine.currentRv).toBe(rv0 + 1);
    w.stop();
  });
});
