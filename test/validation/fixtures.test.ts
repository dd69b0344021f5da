import { describe, expect, test } from "bun:test";
import { deleteBlockers, validateObject, validateWrite } from "../../src/kinds/validation/index.ts";
import { allFixtures, fixture, fixture1, fixture2, fixtureState } from "./fixtures.ts";
import { apply, checkWrite, kindOf, MemoryState } from "./memory-state.ts";

describe("domain-reference §8 fixtures", () => {
  test("every fixture object passes stateless validation", () => {
    for (const o of allFixtures) expect({ name: o.metadata.name, v: validateObject(kindOf(o.kind), o) }).toEqual({ name: o.metadata.name, v: [] });
  });

  test("all fixtures apply cleanly in order into an empty state", () => {
    const state = new MemoryState();
    for (const o of structuredClone(allFixtures)) {
      expect({ name: `${o.kind} ${o.metadata.name}`, v: checkWrite(state, o) }).toEqual({ name: `${o.kind} ${o.metadata.name}`, v: [] });
      state.put(o);
    }
    expect(state.size).toBe(allFixtures.length);
  });

  test("re-applying every fixture as an unchanged update is clean (objects do not conflict with themselves)", () => {
    const state = fixtureState();
    for (const o of structuredClone(allFixtures)) {
      const kind = kindOf(o.kind);
      expect({ name: o.metadata.name, v: validateWrite(kind, o, structuredClone(o), state) }).toEqual({ name: o.metadata.name, v: [] });
    }
  });

  test("rejects the cross-namespace binding of Fixture 3 when the policy is missing", () => {
    const state = new MemoryState(structuredClone([...fixture1, ...fixture2]));
    apply(state, fixture("AddressGroup", "infra", "ag-shared-db"));
    apply(state, fixture("Service", "payments", "billing"));
    const v = checkWrite(state, fixture("AddressGroupBinding", "payments", "billing-to-shared-db"));
    expect(v).toHaveLength(1);
    expect(v[0]!.reason).toBe("FieldValueForbidden");
    expect(v[0]!.field).toBe("spec.addressGroupRef");
    expect(v[0]!.message).toStartWith("cross-namespace binding not allowed");
  });

  test("blocks deleting the Fixture 3 policy while its binding exists, and allows it afterwards", () => {
    const state = fixtureState();
    const policy = fixture("AddressGroupBindingPolicy", "infra", "allow-billing-into-shared-db");
    const kind = kindOf("AddressGroupBindingPolicy");
    expect(deleteBlockers(kind, policy, state)).toEqual([
      "AddressGroupBindingPolicy infra/allow-billing-into-shared-db is in use by AddressGroupBinding payments/billing-to-shared-db (Service payments/billing in AddressGroup infra/ag-shared-db)",
    ]);
    state.remove("AddressGroupBinding", "payments", "billing-to-shared-db");
    expect(deleteBlockers(kind, policy, state)).toEqual([]);
  });

  test("objects nothing depends on can be deleted", () => {
    const state = fixtureState();
    const free: [string, string, string][] = [
      ["AddressGroupBinding", "shop", "worker-in-ag-worker"],
      ["RuleS2S", "shop", "frontend-to-backend"],
      ["IEAgAgRule", "shop", "worker-ssh-block"],
    ];
    for (const [k, ns, name] of free) expect(deleteBlockers(kindOf(k), fixture(k, ns, name), state)).toEqual([]);
  });
});
