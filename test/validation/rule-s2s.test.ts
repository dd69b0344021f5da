import { describe, expect, test } from "bun:test";
import { validateObject, validateWrite } from "../../src/kinds/validation/index.ts";
import { fixture, fixtureState } from "./fixtures.ts";
import { checkWrite, kindOf, obj, ref } from "./memory-state.ts";

const rule = (name: string, traffic: unknown, local: [string, string], target: [string, string]) =>
  obj("RuleS2S", "shop", name, { traffic, serviceLocalRef: ref("Service", ...local), serviceRef: ref("Service", ...target) });

describe("RuleS2S", () => {
  test("requires spec.traffic", () => {
    expect(validateObject(kindOf("RuleS2S"), rule("r", undefined, ["shop", "frontend"], ["shop", "backend"]))).toEqual([
      { field: "spec.traffic", reason: "FieldValueRequired", message: "Required value" },
    ]);
  });

  test("rejects lower-case traffic", () => {
    expect(validateObject(kindOf("RuleS2S"), rule("r", "egress", ["shop", "frontend"], ["shop", "backend"]))).toEqual([
      { field: "spec.traffic", reason: "FieldValueNotSupported", message: 'Unsupported value: "egress": supported values: "INGRESS", "EGRESS"' },
    ]);
  });

  test("accepts a target Service in another namespace", () => {
    const state = fixtureState();
    expect(checkWrite(state, rule("to-billing", "EGRESS", ["shop", "frontend"], ["payments", "billing"]))).toEqual([]);
  });

  test("rejects a second rule with the same traffic, local and target Service as a duplicate", () => {
    const state = fixtureState();
    expect(checkWrite(state, rule("again", "EGRESS", ["shop", "frontend"], ["shop", "backend"]))).toEqual([
      {
        field: "spec",
        reason: "FieldValueDuplicate",
        message: 'RuleS2S "shop/frontend-to-backend" already exists for the same traffic, local Service and target Service',
      },
    ]);
  });

  test("accepts a rule between the same Services with the other traffic direction", () => {
    const state = fixtureState();
    expect(checkWrite(state, rule("frontend-from-backend", "INGRESS", ["shop", "frontend"], ["shop", "backend"]))).toEqual([]);
  });

  test("requires both Services to exist", () => {
    const state = fixtureState();
    expect(validateWrite(kindOf("RuleS2S"), rule("r", "EGRESS", ["shop", "ghost"], ["payments", "ghost"]), undefined, state)).toEqual([
      { field: "spec.serviceLocalRef", reason: "FieldValueNotFound", message: 'Service "shop/ghost" not found' },
      { field: "spec.serviceRef", reason: "FieldValueNotFound", message: 'Service "payments/ghost" not found' },
    ]);
  });

  test("rejects changing serviceRef of an existing rule as immutable but allows changing trace", () => {
    const state = fixtureState();
    const old = fixture("RuleS2S", "shop", "frontend-to-backend");
    const retargeted = fixture("RuleS2S", "shop", "frontend-to-backend");
    retargeted.spec!.serviceRef = ref("Service", "shop", "worker");
    expect(validateWrite(kindOf("RuleS2S"), retargeted, old, state)).toEqual([
      { field: "spec.serviceRef", reason: "FieldValueInvalid", message: "field is immutable" },
    ]);
    const traced = fixture("RuleS2S", "shop", "frontend-to-backend");
    traced.spec!.trace = false;
    expect(validateWrite(kindOf("RuleS2S"), traced, old, state)).toEqual([]);
  });

  test("rejects a non-boolean trace", () => {
    const r = fixture("RuleS2S", "shop", "frontend-to-backend");
    r.spec!.trace = "yes";
    expect(validateObject(kindOf("RuleS2S"), r)).toEqual([{ field: "spec.trace", reason: "FieldValueInvalid", message: "must be a boolean" }]);
  });
});

describe("ServiceAlias", () => {
  test("rejects a serviceRef whose kind is not Service", () => {
    const alias = obj("ServiceAlias", "shop", "a", { serviceRef: ref("ServiceAlias", "shop", "frontend-alias") });
    expect(validateObject(kindOf("ServiceAlias"), alias)).toEqual([
      { field: "spec.serviceRef.kind", reason: "FieldValueInvalid", message: "kind must be 'Service'" },
    ]);
  });

  test("requires a serviceRef", () => {
    expect(validateObject(kindOf("ServiceAlias"), obj("ServiceAlias", "shop", "a", {}))).toEqual([
      { field: "spec.serviceRef", reason: "FieldValueRequired", message: "Required value" },
    ]);
  });

  test("requires the aliased Service to exist", () => {
    const state = fixtureState();
    const alias = obj("ServiceAlias", "shop", "a", { serviceRef: ref("Service", "shop", "ghost") });
    expect(checkWrite(state, alias)).toEqual([{ field: "spec.serviceRef", reason: "FieldValueNotFound", message: 'Service "shop/ghost" not found' }]);
  });

  test("rejects retargeting an existing alias as immutable", () => {
    const state = fixtureState();
    const old = fixture("ServiceAlias", "shop", "frontend-alias");
    const updated = fixture("ServiceAlias", "shop", "frontend-alias");
    updated.spec!.serviceRef = ref("Service", "shop", "backend");
    expect(validateWrite(kindOf("ServiceAlias"), updated, old, state)).toEqual([
      { field: "spec.serviceRef", reason: "FieldValueInvalid", message: "field is immutable" },
    ]);
  });
});
