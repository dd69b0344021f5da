import { describe, expect, test } from "bun:test";
import { validateObject } from "../../src/kinds/validation/index.ts";
import { kindOf, obj } from "./memory-state.ts";

const check = (spec: Record<string, unknown>) => validateObject(kindOf("AddressGroup"), obj("AddressGroup", "shop", "ag", spec));

describe("AddressGroup", () => {
  test("accepts ACCEPT and DROP as defaultAction", () => {
    expect(check({ defaultAction: "ACCEPT" })).toEqual([]);
    expect(check({ defaultAction: "DROP", logs: true, trace: false })).toEqual([]);
  });

  test("rejects a defaultAction other than ACCEPT or DROP", () => {
    expect(check({ defaultAction: "REJECT" })).toEqual([
      { field: "spec.defaultAction", reason: "FieldValueNotSupported", message: 'Unsupported value: "REJECT": supported values: "ACCEPT", "DROP"' },
    ]);
  });

  test("requires defaultAction even when the spec is missing entirely", () => {
    expect(validateObject(kindOf("AddressGroup"), obj("AddressGroup", "shop", "ag"))).toEqual([
      { field: "spec.defaultAction", reason: "FieldValueRequired", message: "Required value" },
    ]);
  });

  test("rejects non-boolean logs and trace", () => {
    expect(check({ defaultAction: "DROP", logs: "true", trace: 1 }).map((v) => v.field)).toEqual(["spec.logs", "spec.trace"]);
  });

  test("rejects host references without a name", () => {
    expect(check({ defaultAction: "DROP", hosts: [{ kind: "Host" }, "h1"] }).map((v) => `${v.field}:${v.reason}`)).toEqual([
      "spec.hosts[0].name:FieldValueRequired",
      "spec.hosts[1]:FieldValueInvalid",
    ]);
  });

  test("rejects a spec that is not an object", () => {
    const ag = obj("AddressGroup", "shop", "ag");
    (ag as Record<string, unknown>).spec = ["ACCEPT"];
    expect(validateObject(kindOf("AddressGroup"), ag).map((v) => `${v.field}:${v.reason}`)).toEqual([
      "spec:FieldValueInvalid",
      "spec.defaultAction:FieldValueRequired",
    ]);
  });
});
