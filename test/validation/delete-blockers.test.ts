import { describe, expect, test } from "bun:test";
import type { KubeObject } from "../../src/kinds/model.ts";
import { deleteBlockers, deleteRefusals, inUseBy } from "../../src/kinds/validation/index.ts";
import { fixture, fixtureState } from "./fixtures.ts";
import { kindOf, obj, ref } from "./memory-state.ts";

const stub = (kind: string, namespace: string, name: string): KubeObject => ({ apiVersion: "netguard.sgroups.io/v1beta1", kind, metadata: { name, namespace } });

describe("deleteBlockers (upstream Sync Delete)", () => {
  test("blocks deleting a Service while an AddressGroupBinding references it", () => {
    const state = fixtureState();
    expect(deleteBlockers(kindOf("Service"), fixture("Service", "shop", "worker"), state)).toEqual([
      "Service shop/worker is bound to AddressGroup shop/ag-worker by AddressGroupBinding shop/worker-in-ag-worker",
    ]);
  });

  test("blocks deleting a Service while a RuleS2S references it, and says which reference", () => {
    const state = fixtureState();
    const blockers = deleteBlockers(kindOf("Service"), fixture("Service", "shop", "backend"), state);
    expect(blockers).toContain("Service shop/backend is referenced by RuleS2S shop/frontend-to-backend (spec.serviceRef)");
    expect(blockers).toContain("Service shop/backend is referenced by RuleS2S shop/backend-from-frontend (spec.serviceLocalRef)");
  });

  test("allows deleting a Service nothing depends on", () => {
    const state = fixtureState();
    state.put(obj("Service", "shop", "lonely", { ingressPorts: [{ protocol: "TCP", port: "1" }] }));
    expect(deleteBlockers(kindOf("Service"), stub("Service", "shop", "lonely"), state)).toEqual([]);
  });

  test("uses the stored object when the caller passes only a name", () => {
    const state = fixtureState();
    state.remove("ServiceAlias", "shop", "frontend-alias");
    state.remove("RuleS2S", "shop", "frontend-to-backend");
    state.remove("RuleS2S", "shop", "backend-from-frontend");
    expect(deleteBlockers(kindOf("Service"), stub("Service", "shop", "frontend"), state)).toEqual([
      "Service shop/frontend still lists address groups in spec.addressGroups (shop/ag-frontend); remove them first",
    ]);
  });

  test("blocks deleting an AddressGroup while a Service lists it in spec.addressGroups", () => {
    const state = fixtureState();
    expect(deleteBlockers(kindOf("AddressGroup"), fixture("AddressGroup", "shop", "ag-frontend"), state)).toEqual([
      "AddressGroup shop/ag-frontend is used by Service shop/frontend via spec.addressGroups",
    ]);
  });

  test("allows deleting an AddressGroup once its binding is gone", () => {
    const state = fixtureState();
    state.remove("AddressGroupBinding", "shop", "worker-in-ag-worker");
    expect(deleteBlockers(kindOf("AddressGroup"), fixture("AddressGroup", "shop", "ag-worker"), state)).toEqual([]);
  });

  test("blocks deleting a ServiceAlias while a RuleS2S reference has the alias's key", () => {
    const state = fixtureState();
    // Legacy rule written before kind: Service was enforced.
    state.put(
      obj("RuleS2S", "shop", "legacy", {
        traffic: "EGRESS",
        serviceLocalRef: ref("ServiceAlias", "shop", "frontend-alias"),
        serviceRef: ref("Service", "shop", "backend"),
      }),
    );
    expect(deleteBlockers(kindOf("ServiceAlias"), fixture("ServiceAlias", "shop", "frontend-alias"), state)).toEqual([
      "ServiceAlias shop/frontend-alias is referenced by RuleS2S shop/legacy (spec.serviceLocalRef)",
    ]);
  });

  test("allows deleting a ServiceAlias no rule references", () => {
    const state = fixtureState();
    expect(deleteBlockers(kindOf("ServiceAlias"), fixture("ServiceAlias", "shop", "frontend-alias"), state)).toEqual([]);
  });

  test("always blocks port mappings: the server deletes them with their AddressGroup", () => {
    expect(deleteBlockers(kindOf("AddressGroupPortMapping"), stub("AddressGroupPortMapping", "shop", "ag-backend"), fixtureState())).toEqual([
      "AddressGroupPortMapping shop/ag-backend is managed by the server: it is deleted with its AddressGroup",
    ]);
  });

  test("never blocks bindings, rules or IEAgAgRules", () => {
    const state = fixtureState();
    expect(deleteBlockers(kindOf("AddressGroupBinding"), fixture("AddressGroupBinding", "payments", "billing-to-shared-db"), state)).toEqual([]);
    expect(deleteBlockers(kindOf("RuleS2S"), fixture("RuleS2S", "shop", "backend-from-frontend"), state)).toEqual([]);
    expect(deleteBlockers(kindOf("IEAgAgRule"), fixture("IEAgAgRule", "shop", "worker-ssh-block"), state)).toEqual([]);
  });
});

describe("inUseBy and deleteRefusals (the Delete RPC: in-use protection)", () => {
  test("a Service is in use by its binding, aliases and rules", () => {
    const state = fixtureState();
    expect(inUseBy(kindOf("Service"), fixture("Service", "shop", "worker"), state)).toEqual([
      "Service shop/worker is bound to AddressGroup shop/ag-worker by AddressGroupBinding shop/worker-in-ag-worker",
    ]);
    expect(inUseBy(kindOf("Service"), stub("Service", "shop", "frontend"), state)).toContain("Service shop/frontend is referenced by ServiceAlias shop/frontend-alias");
  });

  test("a Service's own spec.addressGroups do not hold it, though upstream's Sync Delete refuses it for them", () => {
    const state = fixtureState();
    state.remove("ServiceAlias", "shop", "frontend-alias");
    state.remove("RuleS2S", "shop", "frontend-to-backend");
    state.remove("RuleS2S", "shop", "backend-from-frontend");
    expect(inUseBy(kindOf("Service"), stub("Service", "shop", "frontend"), state)).toEqual([]);
    expect(deleteBlockers(kindOf("Service"), stub("Service", "shop", "frontend"), state)).toHaveLength(1);
  });

  test("an AddressGroup is in use by the Services listing it; the IEAgAgRules naming it do not hold it (they go with it)", () => {
    const state = fixtureState();
    expect(inUseBy(kindOf("AddressGroup"), fixture("AddressGroup", "shop", "ag-frontend"), state)).toEqual([
      "AddressGroup shop/ag-frontend is used by Service shop/frontend via spec.addressGroups",
    ]);
    state.remove("AddressGroupBinding", "shop", "worker-in-ag-worker");
    // worker-ssh-block still names ag-worker
    expect(inUseBy(kindOf("AddressGroup"), fixture("AddressGroup", "shop", "ag-worker"), state)).toEqual([]);
  });

  test("a policy is in use by the binding that relies on it", () => {
    const state = fixtureState();
    expect(inUseBy(kindOf("AddressGroupBindingPolicy"), fixture("AddressGroupBindingPolicy", "infra", "allow-billing-into-shared-db"), state)).toHaveLength(1);
  });

  test("port mappings are refused whatever uses them, and are never merely in use", () => {
    const state = fixtureState();
    const mapping = stub("AddressGroupPortMapping", "shop", "ag-backend");
    expect(deleteRefusals(kindOf("AddressGroupPortMapping"), mapping, state)).toEqual([
      "AddressGroupPortMapping shop/ag-backend is managed by the server: it is deleted with its AddressGroup",
    ]);
    expect(inUseBy(kindOf("AddressGroupPortMapping"), mapping, state)).toEqual([]);
    expect(deleteRefusals(kindOf("Service"), fixture("Service", "shop", "worker"), state)).toEqual([]);
  });
});
