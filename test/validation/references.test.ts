import { describe, expect, test } from "bun:test";
import { validateObject, validateWrite } from "../../src/kinds/validation/index.ts";
import { fixture, fixtureState } from "./fixtures.ts";
import { kindOf, obj, ref } from "./memory-state.ts";

const binding = (serviceRef: unknown, addressGroupRef: unknown) =>
  obj("AddressGroupBinding", "shop", "b", { serviceRef, addressGroupRef });
const checkBinding = (serviceRef: unknown, addressGroupRef: unknown) =>
  validateObject(kindOf("AddressGroupBinding"), binding(serviceRef, addressGroupRef));

describe("reference syntax (from the kind table's refs)", () => {
  test("requires every single-valued reference", () => {
    expect(checkBinding(undefined, ref("AddressGroup", "shop", "ag-worker"))).toEqual([
      { field: "spec.serviceRef", reason: "FieldValueRequired", message: "Required value" },
    ]);
  });

  test("rejects a reference that is not an object", () => {
    expect(checkBinding("shop/worker", ref("AddressGroup", "shop", "ag-worker"))).toEqual([
      { field: "spec.serviceRef", reason: "FieldValueInvalid", message: "must be an object reference {apiVersion, kind, name, namespace}" },
    ]);
  });

  test("rejects a reference whose name is not a DNS-1123 subdomain", () => {
    const v = checkBinding(ref("Service", "shop", "Worker_1"), ref("AddressGroup", "shop", "ag-worker"));
    expect(v.map((x) => `${x.field}:${x.reason}`)).toEqual(["spec.serviceRef.name:FieldValueInvalid"]);
  });

  test("requires a reference name", () => {
    const v = checkBinding({ kind: "Service", namespace: "shop" }, ref("AddressGroup", "shop", "ag-worker"));
    expect(v).toEqual([{ field: "spec.serviceRef.name", reason: "FieldValueRequired", message: "Required value" }]);
  });

  test("requires a non-empty reference namespace", () => {
    const v = checkBinding(ref("Service", "shop", "worker"), { kind: "AddressGroup", name: "ag-worker", namespace: "" });
    expect(v).toEqual([{ field: "spec.addressGroupRef.namespace", reason: "FieldValueRequired", message: "Required value" }]);
  });

  test("requires the reference kind and names the expected kind", () => {
    const v = checkBinding(ref("Service", "shop", "worker"), { name: "ag-worker", namespace: "shop" });
    expect(v).toEqual([{ field: "spec.addressGroupRef.kind", reason: "FieldValueRequired", message: "kind must be 'AddressGroup'" }]);
  });

  test("rejects a reference to the wrong kind", () => {
    const v = checkBinding(ref("Service", "shop", "worker"), ref("Service", "shop", "ag-worker"));
    expect(v).toEqual([{ field: "spec.addressGroupRef.kind", reason: "FieldValueInvalid", message: "kind must be 'AddressGroup'" }]);
  });

  test("rejects a foreign apiVersion but accepts an omitted one", () => {
    const wrong = { ...ref("Service", "shop", "worker"), apiVersion: "v1" };
    expect(checkBinding(wrong, ref("AddressGroup", "shop", "ag-worker"))).toEqual([
      { field: "spec.serviceRef.apiVersion", reason: "FieldValueInvalid", message: "apiVersion must be 'netguard.sgroups.io/v1beta1'" },
    ]);
    expect(checkBinding({ kind: "Service", name: "worker", namespace: "shop" }, ref("AddressGroup", "shop", "ag-worker"))).toEqual([]);
  });

  test("checks every element of a list of references with an indexed path", () => {
    const svc = fixture("Service", "shop", "frontend");
    svc.spec!.addressGroups = [ref("AddressGroup", "shop", "ag-frontend"), ref("Service", "shop", "x")];
    expect(validateObject(kindOf("Service"), svc)).toEqual([
      { field: "spec.addressGroups[1].kind", reason: "FieldValueInvalid", message: "kind must be 'AddressGroup'" },
    ]);
  });

  test("rejects a list-valued reference field that is not a list", () => {
    const svc = fixture("Service", "shop", "frontend");
    svc.spec!.addressGroups = ref("AddressGroup", "shop", "ag-frontend");
    expect(validateObject(kindOf("Service"), svc)).toEqual([
      { field: "spec.addressGroups", reason: "FieldValueInvalid", message: "must be a list" },
    ]);
  });

  test("rejects an IEAgAgRule whose addressGroupLocal points at a Service", () => {
    const rule = fixture("IEAgAgRule", "shop", "worker-ssh-block");
    rule.spec!.addressGroupLocal = ref("Service", "shop", "worker");
    expect(validateObject(kindOf("IEAgAgRule"), rule)).toEqual([
      { field: "spec.addressGroupLocal.kind", reason: "FieldValueInvalid", message: "kind must be 'AddressGroup'" },
    ]);
  });
});

describe("reference existence", () => {
  test("reports every missing reference target by kind and key", () => {
    const state = fixtureState();
    const b = binding(ref("Service", "shop", "ghost"), ref("AddressGroup", "shop", "ag-ghost"));
    expect(validateWrite(kindOf("AddressGroupBinding"), b, undefined, state)).toEqual([
      { field: "spec.serviceRef", reason: "FieldValueNotFound", message: 'Service "shop/ghost" not found' },
      { field: "spec.addressGroupRef", reason: "FieldValueNotFound", message: 'AddressGroup "shop/ag-ghost" not found' },
    ]);
  });

  test("reports a missing AddressGroup in a Service's spec.addressGroups list", () => {
    const state = fixtureState();
    const svc = fixture("Service", "shop", "frontend");
    (svc.spec!.addressGroups as unknown[]).push(ref("AddressGroup", "shop", "nope"));
    expect(validateWrite(kindOf("Service"), svc, fixture("Service", "shop", "frontend"), state)).toEqual([
      { field: "spec.addressGroups[1]", reason: "FieldValueNotFound", message: 'AddressGroup "shop/nope" not found' },
    ]);
  });

  test("looks the target up by the expected kind, not by a ServiceAlias of the same name", () => {
    const state = fixtureState();
    const alias = obj("ServiceAlias", "shop", "alias-of-alias", { serviceRef: ref("Service", "shop", "frontend-alias") });
    expect(validateWrite(kindOf("ServiceAlias"), alias, undefined, state)).toEqual([
      { field: "spec.serviceRef", reason: "FieldValueNotFound", message: 'Service "shop/frontend-alias" not found' },
    ]);
  });

  test("requires both IEAgAgRule AddressGroups to exist", () => {
    const state = fixtureState();
    const rule = fixture("IEAgAgRule", "shop", "worker-ssh-block");
    rule.metadata.name = "new-rule";
    rule.spec!.addressGroup = ref("AddressGroup", "payments", "ag-none");
    expect(validateWrite(kindOf("IEAgAgRule"), rule, undefined, state)).toEqual([
      { field: "spec.addressGroup", reason: "FieldValueNotFound", message: 'AddressGroup "payments/ag-none" not found' },
    ]);
  });
});
