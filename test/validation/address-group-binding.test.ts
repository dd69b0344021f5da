import { describe, expect, test } from "bun:test";
import { validateObject, validateWrite } from "../../src/kinds/validation/index.ts";
import { fixture, fixtureState } from "./fixtures.ts";
import { checkWrite, kindOf, obj, ref } from "./memory-state.ts";

const binding = (ns: string, name: string, svc: [string, string], ag: [string, string]) =>
  obj("AddressGroupBinding", ns, name, { serviceRef: ref("Service", ...svc), addressGroupRef: ref("AddressGroup", ...ag) });

describe("AddressGroupBinding", () => {
  test("rejects a second binding of the same Service and AddressGroup as a duplicate", () => {
    const state = fixtureState();
    const dup = binding("shop", "worker-again", ["shop", "worker"], ["shop", "ag-worker"]);
    expect(checkWrite(state, dup)).toEqual([
      {
        field: "spec",
        reason: "FieldValueDuplicate",
        message: 'AddressGroupBinding "shop/worker-in-ag-worker" already exists for the same Service and AddressGroup',
      },
    ]);
  });

  test("rejects binding an AddressGroup that is already bound to a different Service", () => {
    const state = fixtureState();
    state.put(obj("Service", "shop", "queue", { ingressPorts: [{ protocol: "TCP", port: "5672" }] }));
    expect(checkWrite(state, binding("shop", "queue-in-ag-worker", ["shop", "queue"], ["shop", "ag-worker"]))).toEqual([
      {
        field: "spec.addressGroupRef",
        reason: "FieldValueForbidden",
        message: "AddressGroup shop/ag-worker already belongs to Service shop/worker via AddressGroupBinding shop/worker-in-ag-worker",
      },
    ]);
  });

  test("rejects binding an AddressGroup that the target Service itself lists in spec.addressGroups", () => {
    const state = fixtureState();
    expect(checkWrite(state, binding("shop", "frontend-in-ag-frontend", ["shop", "frontend"], ["shop", "ag-frontend"]))).toEqual([
      {
        field: "spec.addressGroupRef",
        reason: "FieldValueForbidden",
        message: "AddressGroup shop/ag-frontend already belongs to Service shop/frontend via spec.addressGroups",
      },
    ]);
  });

  test("rejects a binding whose Service ports overlap other Services already in the AddressGroup", () => {
    const state = fixtureState();
    state.put(obj("Service", "shop", "worker2", { ingressPorts: [{ protocol: "TCP", port: "8999-9001" }] }));
    const v = checkWrite(state, binding("shop", "worker2-in-ag-worker", ["shop", "worker2"], ["shop", "ag-worker"]));
    expect(v).toContainEqual({
      field: "spec.serviceRef",
      reason: "FieldValueInvalid",
      message: "Service shop/worker2 spec.ingressPorts[0].port: TCP 8999-9001 overlaps TCP 9000 of Service shop/worker in AddressGroup shop/ag-worker",
    });
  });

  test("accepts a new binding into a free AddressGroup of the same namespace", () => {
    const state = fixtureState();
    state.put(obj("AddressGroup", "shop", "ag-free", { defaultAction: "DROP" }));
    expect(checkWrite(state, binding("shop", "worker-in-ag-free", ["shop", "worker"], ["shop", "ag-free"]))).toEqual([]);
  });

  test("rejects a cross-namespace binding when the policy allows a different Service", () => {
    const state = fixtureState();
    state.put(obj("Service", "payments", "ledger", { ingressPorts: [{ protocol: "TCP", port: "7100" }] }));
    state.put(obj("AddressGroup", "infra", "ag-cache", { defaultAction: "DROP" }));
    state.put(
      obj("AddressGroupBindingPolicy", "infra", "allow-billing-into-cache", {
        addressGroupRef: ref("AddressGroup", "infra", "ag-cache"),
        serviceRef: ref("Service", "payments", "billing"),
      }),
    );
    const v = checkWrite(state, binding("payments", "ledger-to-cache", ["payments", "ledger"], ["infra", "ag-cache"]));
    expect(v).toEqual([
      {
        field: "spec.addressGroupRef",
        reason: "FieldValueForbidden",
        message: 'cross-namespace binding not allowed: no AddressGroupBindingPolicy in namespace "infra" allows Service payments/ledger to bind AddressGroup infra/ag-cache',
      },
    ]);
  });

  test("ignores a matching policy that does not live in the AddressGroup's namespace", () => {
    const state = fixtureState();
    state.put(obj("AddressGroup", "infra", "ag-cache", { defaultAction: "DROP" }));
    state.put(
      obj("AddressGroupBindingPolicy", "payments", "misplaced", {
        addressGroupRef: ref("AddressGroup", "infra", "ag-cache"),
        serviceRef: ref("Service", "payments", "billing"),
      }),
    );
    const v = validateWrite(kindOf("AddressGroupBinding"), binding("payments", "billing-to-cache", ["payments", "billing"], ["infra", "ag-cache"]), undefined, state);
    expect(v.map((x) => x.reason)).toEqual(["FieldValueForbidden"]);
    expect(v[0]!.message).toStartWith("cross-namespace binding not allowed");
  });

  test("rejects changing the serviceRef or addressGroupRef of an existing binding as immutable", () => {
    const state = fixtureState();
    state.put(obj("AddressGroup", "shop", "ag-free", { defaultAction: "DROP" }));
    const old = fixture("AddressGroupBinding", "shop", "worker-in-ag-worker");
    const updated = binding("shop", "worker-in-ag-worker", ["shop", "frontend"], ["shop", "ag-free"]);
    const v = validateWrite(kindOf("AddressGroupBinding"), updated, old, state).filter((x) => x.message === "field is immutable");
    expect(v.map((x) => x.field)).toEqual(["spec.serviceRef", "spec.addressGroupRef"]);
  });

  test("needs both references and checks their kinds statelessly", () => {
    const b = obj("AddressGroupBinding", "shop", "b", { serviceRef: ref("AddressGroup", "shop", "ag-worker") });
    expect(validateObject(kindOf("AddressGroupBinding"), b)).toEqual([
      { field: "spec.serviceRef.kind", reason: "FieldValueInvalid", message: "kind must be 'Service'" },
      { field: "spec.addressGroupRef", reason: "FieldValueRequired", message: "Required value" },
    ]);
  });
});

describe("AddressGroupBindingPolicy", () => {
  const policy = (ns: string, name: string, ag: [string, string], svc: [string, string]) =>
    obj("AddressGroupBindingPolicy", ns, name, { addressGroupRef: ref("AddressGroup", ...ag), serviceRef: ref("Service", ...svc) });

  test("rejects a policy whose namespace differs from its AddressGroup's namespace", () => {
    const v = validateObject(kindOf("AddressGroupBindingPolicy"), policy("payments", "p", ["infra", "ag-shared-db"], ["payments", "billing"]));
    expect(v).toEqual([
      {
        field: "spec.addressGroupRef.namespace",
        reason: "FieldValueInvalid",
        message: 'namespace "infra" must equal metadata.namespace "payments": an AddressGroupBindingPolicy must live in its AddressGroup\'s namespace',
      },
    ]);
  });

  test("rejects a second policy for the same Service and AddressGroup as a duplicate", () => {
    const state = fixtureState();
    const v = checkWrite(state, policy("infra", "allow-again", ["infra", "ag-shared-db"], ["payments", "billing"]));
    expect(v).toEqual([
      {
        field: "spec",
        reason: "FieldValueDuplicate",
        message: 'AddressGroupBindingPolicy "infra/allow-billing-into-shared-db" already exists for the same Service and AddressGroup',
      },
    ]);
  });

  test("requires both targets to exist", () => {
    const state = fixtureState();
    const v = checkWrite(state, policy("infra", "p", ["infra", "ag-none"], ["payments", "none"]));
    expect(v.map((x) => `${x.field}:${x.reason}`)).toEqual(["spec.addressGroupRef:FieldValueNotFound", "spec.serviceRef:FieldValueNotFound"]);
  });

  test("requires both references with the right kinds", () => {
    const p = obj("AddressGroupBindingPolicy", "infra", "p", { addressGroupRef: ref("Service", "infra", "x") });
    expect(validateObject(kindOf("AddressGroupBindingPolicy"), p).map((x) => `${x.field}:${x.reason}`)).toEqual([
      "spec.addressGroupRef.kind:FieldValueInvalid",
      "spec.serviceRef:FieldValueRequired",
    ]);
  });

  test("rejects changing the serviceRef of an existing policy as immutable", () => {
    const state = fixtureState();
    const old = fixture("AddressGroupBindingPolicy", "infra", "allow-billing-into-shared-db");
    const updated = fixture("AddressGroupBindingPolicy", "infra", "allow-billing-into-shared-db");
    updated.spec!.serviceRef = ref("Service", "shop", "worker");
    expect(validateWrite(kindOf("AddressGroupBindingPolicy"), updated, old, state)).toEqual([
      { field: "spec.serviceRef", reason: "FieldValueInvalid", message: "field is immutable" },
    ]);
  });
});
