/** The "Negative cases worth encoding as tests" of domain-reference §8 (those not about derived objects). */
import { describe, expect, test } from "bun:test";
import { deleteBlockers, validateObject, validateWrite } from "../../src/kinds/validation/index.ts";
import { fixture, fixtureState } from "./fixtures.ts";
import { checkWrite, kindOf, obj, ref } from "./memory-state.ts";

describe("§8 negative cases", () => {
  test("rejects a RuleS2S whose serviceRef kind is ServiceAlias", () => {
    const rule = obj("RuleS2S", "shop", "to-alias", {
      traffic: "EGRESS",
      serviceLocalRef: ref("Service", "shop", "frontend"),
      serviceRef: ref("ServiceAlias", "shop", "frontend-alias"),
    });
    expect(validateObject(kindOf("RuleS2S"), rule)).toEqual([
      { field: "spec.serviceRef.kind", reason: "FieldValueInvalid", message: "kind must be 'Service'" },
    ]);
  });

  test("rejects a RuleS2S whose serviceLocalRef kind is ServiceAlias", () => {
    const rule = obj("RuleS2S", "shop", "from-alias", {
      traffic: "INGRESS",
      serviceLocalRef: ref("ServiceAlias", "shop", "frontend-alias"),
      serviceRef: ref("Service", "shop", "backend"),
    });
    expect(validateObject(kindOf("RuleS2S"), rule)).toContainEqual({
      field: "spec.serviceLocalRef.kind",
      reason: "FieldValueInvalid",
      message: "kind must be 'Service'",
    });
  });

  test("rejects a RuleS2S whose serviceLocalRef namespace differs from the rule's namespace", () => {
    const rule = obj("RuleS2S", "shop", "foreign-local", {
      traffic: "EGRESS",
      serviceLocalRef: ref("Service", "payments", "billing"),
      serviceRef: ref("Service", "shop", "backend"),
    });
    const v = validateObject(kindOf("RuleS2S"), rule);
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ field: "spec.serviceLocalRef.namespace", reason: "FieldValueInvalid" });
  });

  test("rejects updating spec.traffic of an existing RuleS2S as immutable", () => {
    const state = fixtureState();
    const old = fixture("RuleS2S", "shop", "frontend-to-backend");
    const updated = fixture("RuleS2S", "shop", "frontend-to-backend");
    updated.spec!.traffic = "INGRESS";
    expect(validateWrite(kindOf("RuleS2S"), updated, old, state)).toEqual([
      { field: "spec.traffic", reason: "FieldValueInvalid", message: "field is immutable" },
    ]);
  });

  test("rejects a ServiceAlias in shop whose serviceRef namespace is payments", () => {
    const alias = obj("ServiceAlias", "shop", "billing-alias", { serviceRef: ref("Service", "payments", "billing") });
    const v = validateObject(kindOf("ServiceAlias"), alias);
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ field: "spec.serviceRef.namespace", reason: "FieldValueInvalid" });
    expect(v[0]!.message).toContain('must equal metadata.namespace "shop"');
  });

  test("rejects binding ag-frontend (already in frontend.spec.addressGroups) to worker", () => {
    const state = fixtureState();
    const binding = obj("AddressGroupBinding", "shop", "worker-in-ag-frontend", {
      serviceRef: ref("Service", "shop", "worker"),
      addressGroupRef: ref("AddressGroup", "shop", "ag-frontend"),
    });
    const v = checkWrite(state, binding);
    expect(v).toContainEqual({
      field: "spec.addressGroupRef",
      reason: "FieldValueForbidden",
      message: "AddressGroup shop/ag-frontend already belongs to Service shop/frontend via spec.addressGroups",
    });
  });

  test("rejects a Service with TCP 8081 listing ag-backend because it overlaps backend's 8080-8081", () => {
    const state = fixtureState();
    const svc = obj("Service", "shop", "metrics", {
      ingressPorts: [{ protocol: "TCP", port: "8081" }],
      addressGroups: [ref("AddressGroup", "shop", "ag-backend")],
    });
    expect(checkWrite(state, svc)).toEqual([
      {
        field: "spec.ingressPorts[0].port",
        reason: "FieldValueInvalid",
        message: "TCP 8081 of Service shop/metrics overlaps TCP 8080-8081 of Service shop/backend in AddressGroup shop/ag-backend",
      },
    ]);
  });

  test("rejects an AddressGroup without defaultAction as Required", () => {
    const ag = obj("AddressGroup", "shop", "ag-empty", { logs: true });
    expect(validateObject(kindOf("AddressGroup"), ag)).toEqual([
      { field: "spec.defaultAction", reason: "FieldValueRequired", message: "Required value" },
    ]);
  });

  test("rejects an IEAgAgRule port entry that sets both port and portRange", () => {
    const rule = fixture("IEAgAgRule", "shop", "worker-ssh-block");
    rule.spec!.ports = [{ port: 22, portRange: { from: 1, to: 2 } }];
    expect(validateObject(kindOf("IEAgAgRule"), rule)).toEqual([
      { field: "spec.ports[0]", reason: "FieldValueInvalid", message: "exactly one of port or portRange must be set, not both" },
    ]);
  });

  test("blocks deleting Service frontend while frontend-alias exists and while it lists address groups", () => {
    const state = fixtureState();
    const blockers = deleteBlockers(kindOf("Service"), fixture("Service", "shop", "frontend"), state);
    expect(blockers).toContain("Service shop/frontend is referenced by ServiceAlias shop/frontend-alias");
    expect(blockers).toContain("Service shop/frontend still lists address groups in spec.addressGroups (shop/ag-frontend); remove them first");
  });

  test("blocks deleting Service frontend for its address groups alone once alias and rules are gone", () => {
    const state = fixtureState();
    state.remove("ServiceAlias", "shop", "frontend-alias");
    state.remove("RuleS2S", "shop", "frontend-to-backend");
    state.remove("RuleS2S", "shop", "backend-from-frontend");
    expect(deleteBlockers(kindOf("Service"), fixture("Service", "shop", "frontend"), state)).toEqual([
      "Service shop/frontend still lists address groups in spec.addressGroups (shop/ag-frontend); remove them first",
    ]);
  });

  test("blocks deleting AddressGroup ag-worker while a binding references it", () => {
    const state = fixtureState();
    expect(deleteBlockers(kindOf("AddressGroup"), fixture("AddressGroup", "shop", "ag-worker"), state)).toEqual([
      "AddressGroup shop/ag-worker is used by Service shop/worker via AddressGroupBinding shop/worker-in-ag-worker",
    ]);
  });
});
