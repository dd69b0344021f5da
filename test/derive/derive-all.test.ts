/**
 * Unit tests of the pure derivation (`deriveAll` over an in-memory state, no engine): cross-rule
 * aggregation, the trace rule, port normalisation, mapping order, readiness and the condition
 * timestamps rule.
 */
import { describe, expect, test } from "bun:test";
import { stampConditions, managedConditions } from "../../src/backend/derive/conditions.ts";
import { deriveAll } from "../../src/backend/derive/derive-all.ts";
import type { KubeObject } from "../../src/kinds/model.ts";
import { MemoryState, obj, ref } from "../validation/memory-state.ts";
import { condition } from "./derive-kit.ts";

const NOW = new Date("2025-02-03T04:05:06Z");
const ag = (ns: string, name: string) => obj("AddressGroup", ns, name, { defaultAction: "ACCEPT" });
const svc = (ns: string, name: string, ports: [string, string][], groups: [string, string][] = []) =>
  obj("Service", ns, name, {
    ingressPorts: ports.map(([protocol, port]) => ({ protocol, port })),
    ...(groups.length ? { addressGroups: groups.map(([n, g]) => ref("AddressGroup", n, g)) } : {}),
  });
const rule = (ns: string, name: string, traffic: string, local: string, target: [string, string], trace = false) =>
  obj("RuleS2S", ns, name, { traffic, serviceLocalRef: ref("Service", ns, local), serviceRef: ref("Service", ...target), ...(trace ? { trace: true } : {}) });

function derive(objects: KubeObject[]) {
  const out = deriveAll(new MemoryState(objects), NOW);
  return {
    get: (kind: string, ns: string, name: string) => out.get(kind)!.get(`${ns}/${name}`),
    list: (kind: string) => [...out.get(kind)!.values()],
  };
}

describe("generated IEAgAgRules", () => {
  test("contributions of several Ready rules to one combination are aggregated: port union, trace only if all trace", () => {
    const d = derive([
      ag("shop", "l"),
      ag("shop", "t"),
      svc("shop", "a", [["TCP", "1"]], [["shop", "l"]]),
      svc("shop", "b", [["TCP", "2"]], [["shop", "l"]]),
      svc("shop", "t1", [["TCP", "8080"], ["TCP", "0-5"]], [["shop", "t"]]),
      svc("shop", "t2", [["TCP", "9090,7000-7001"]], [["shop", "t"]]),
      rule("shop", "a-to-t1", "EGRESS", "a", ["shop", "t1"], true),
      rule("shop", "b-to-t2", "EGRESS", "b", ["shop", "t2"], false),
    ]);
    const generated = d.list("IEAgAgRule");
    expect(generated.length).toBe(1);
    expect(generated[0]!.spec).toEqual({
      transport: "TCP",
      traffic: "EGRESS",
      addressGroupLocal: ref("AddressGroup", "shop", "l"),
      addressGroup: ref("AddressGroup", "shop", "t"),
      // sorted, and port 0 clipped (IEAgAgRule ports are 1–65535)
      ports: [{ portRange: { from: 1, to: 5 } }, { portRange: { from: 7000, to: 7001 } }, { port: 8080 }, { port: 9090 }],
      action: "ACCEPT",
      logs: true,
      priority: 100,
    });
    for (const r of ["a-to-t1", "b-to-t2"]) {
      expect(d.get("RuleS2S", "shop", r)!.status!.ieAgAgRuleRefs).toEqual([ref("IEAgAgRule", "shop", generated[0]!.metadata.name)]);
    }
  });

  test("one rule per local group × target group × protocol; namespaces follow traffic", () => {
    const d = derive([
      ag("shop", "l1"),
      ag("infra", "l2"),
      ag("payments", "t"),
      svc("shop", "local", [["UDP", "53"]], [["shop", "l1"], ["infra", "l2"]]),
      svc("payments", "target", [["TCP", "443"], ["UDP", "53"]], [["payments", "t"]]),
      rule("shop", "in", "INGRESS", "local", ["payments", "target"]),
      rule("shop", "out", "EGRESS", "local", ["payments", "target"]),
    ]);
    const rules = d.list("IEAgAgRule").map((o) => [o.metadata.namespace, o.spec!.traffic, o.spec!.transport, (o.spec!.addressGroupLocal as { name: string }).name]);
    // INGRESS: ports of the local Service (UDP only), namespace of the local group
    // EGRESS: ports of the target Service (TCP and UDP), namespace of the target group
    expect(rules.sort()).toEqual(
      [
        ["shop", "INGRESS", "UDP", "l1"],
        ["infra", "INGRESS", "UDP", "l2"],
        ["payments", "EGRESS", "TCP", "l1"],
        ["payments", "EGRESS", "UDP", "l1"],
        ["payments", "EGRESS", "TCP", "l2"],
        ["payments", "EGRESS", "UDP", "l2"],
      ].sort(),
    );
  });

  test("a rule whose Service belongs to no group is NotReady and generates nothing", () => {
    const d = derive([ag("shop", "l"), svc("shop", "a", [["TCP", "1"]], [["shop", "l"]]), svc("shop", "lonely", [["TCP", "2"]]), rule("shop", "r", "EGRESS", "a", ["shop", "lonely"])]);
    expect(d.list("IEAgAgRule")).toEqual([]);
    const r = d.get("RuleS2S", "shop", "r")!;
    expect(condition(r, "Ready")).toMatchObject({ status: "False", reason: "NotReady", message: "target Service shop/lonely belongs to no AddressGroup" });
    expect(condition(r, "Error")).toMatchObject({ status: "True", reason: "DependencyError" });
    expect(r.status!.ieAgAgRuleRefs).toBeUndefined();
  });

  test("a hand-written rule naming a missing AddressGroup is removed (cascade), other hand-written rules stay", () => {
    const manual = (name: string, local: string) =>
      obj("IEAgAgRule", "shop", name, { transport: "TCP", traffic: "INGRESS", addressGroupLocal: ref("AddressGroup", "shop", local), addressGroup: ref("AddressGroup", "shop", "l") });
    const d = derive([ag("shop", "l"), manual("keep", "l"), manual("orphan", "gone")]);
    expect(d.list("IEAgAgRule").map((o) => o.metadata.name)).toEqual(["keep"]);
  });
});

describe("port mappings and aggregated groups", () => {
  test("items sorted by Service, ranges sorted per protocol, comma lists split, spec and binding members alike", () => {
    const d = derive([
      ag("shop", "g"),
      svc("shop", "zeta", [["UDP", "53"], ["TCP", "443,80"]], [["shop", "g"]]),
      svc("shop", "alpha", [["TCP", "8080-8081"]]),
      obj("AddressGroupBinding", "shop", "alpha-in-g", { serviceRef: ref("Service", "shop", "alpha"), addressGroupRef: ref("AddressGroup", "shop", "g") }),
    ]);
    expect(d.get("AddressGroupPortMapping", "shop", "g")!.accessPorts).toEqual({
      items: [
        { apiVersion: "netguard.sgroups.io/v1beta1", kind: "Service", name: "alpha", namespace: "shop", ports: { TCP: [{ port: "8080-8081" }] } },
        { apiVersion: "netguard.sgroups.io/v1beta1", kind: "Service", name: "zeta", namespace: "shop", ports: { TCP: [{ port: "80" }, { port: "443" }], UDP: [{ port: "53" }] } },
      ],
    });
    expect(d.get("Service", "shop", "alpha")!.xAggregatedAddressGroups).toEqual([{ ref: ref("AddressGroup", "shop", "g"), source: "binding" }]);
    expect(d.get("Service", "shop", "zeta")!.xAggregatedAddressGroups).toEqual([{ ref: ref("AddressGroup", "shop", "g"), source: "spec" }]);
  });

  test("every AddressGroup has exactly one mapping; a mapping without its group goes", () => {
    const stale = obj("AddressGroupPortMapping", "shop", "gone", {});
    const d = derive([ag("shop", "g"), ag("infra", "h"), stale]);
    expect(d.list("AddressGroupPortMapping").map((o) => `${o.metadata.namespace}/${o.metadata.name}`).sort()).toEqual(["infra/h", "shop/g"]);
    expect(d.get("AddressGroup", "infra", "h")!.status!.addressGroupName).toBe("infra/h");
  });
});

describe("condition timestamps", () => {
  const T1 = new Date("2025-01-01T00:00:00Z");
  const T2 = new Date("2025-06-01T00:00:00Z");
  test("kept while the status holds, moved when it flips; foreign conditions follow the managed ones", () => {
    const first = stampConditions(managedConditions("RuleS2S", [], true), 1, undefined, [], T1);
    const foreign = { type: "ExternalSync", status: "True", reason: "Pushed" };
    const same = stampConditions(managedConditions("RuleS2S", [], true), 2, first, [foreign, { type: "Ready", status: "False" }], T2);
    expect(same.map((c) => [c.type, c.lastTransitionTime, c.observedGeneration])).toEqual([
      ["Ready", "2025-01-01T00:00:00Z", 2],
      ["Validated", "2025-01-01T00:00:00Z", 2],
      ["Synced", "2025-01-01T00:00:00Z", 2],
      ["ExternalSync", undefined, undefined],
    ]);
    const flipped = stampConditions(managedConditions("RuleS2S", ["gone"], true), 2, same, [], T2);
    expect(flipped.map((c) => [c.type, c.status, c.lastTransitionTime])).toEqual([
      ["Ready", "False", "2025-06-01T00:00:00Z"],
      ["Validated", "True", "2025-01-01T00:00:00Z"],
      ["Synced", "True", "2025-01-01T00:00:00Z"],
      ["Error", "True", "2025-06-01T00:00:00Z"],
    ]);
  });
});
