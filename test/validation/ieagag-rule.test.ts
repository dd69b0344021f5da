import { describe, expect, test } from "bun:test";
import { validateObject, validateWrite } from "../../src/kinds/validation/index.ts";
import { fixture, fixtureState } from "./fixtures.ts";
import { kindOf } from "./memory-state.ts";

const base = () => fixture("IEAgAgRule", "shop", "worker-ssh-block");
const withSpec = (patch: Record<string, unknown>) => {
  const r = base();
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) delete r.spec![k];
    else r.spec![k] = v;
  }
  return validateObject(kindOf("IEAgAgRule"), r);
};
const summary = (patch: Record<string, unknown>) => withSpec(patch).map((v) => `${v.field}:${v.reason}`);

describe("IEAgAgRule", () => {
  test("requires transport and traffic", () => {
    expect(summary({ transport: undefined, traffic: undefined })).toEqual(["spec.transport:FieldValueRequired", "spec.traffic:FieldValueRequired"]);
  });

  test("rejects a transport other than TCP or UDP", () => {
    expect(summary({ transport: "ICMP" })).toEqual(["spec.transport:FieldValueNotSupported"]);
  });

  test("rejects an unknown traffic direction", () => {
    expect(summary({ traffic: "BOTH" })).toEqual(["spec.traffic:FieldValueNotSupported"]);
  });

  test("accepts a missing action and rejects one other than ACCEPT or DROP", () => {
    expect(summary({ action: undefined })).toEqual([]);
    expect(summary({ action: "REJECT" })).toEqual(["spec.action:FieldValueNotSupported"]);
  });

  test("rejects a negative, fractional or string priority", () => {
    expect(withSpec({ priority: -1 })).toEqual([{ field: "spec.priority", reason: "FieldValueInvalid", message: "must be between 0 and 2147483647, inclusive" }]);
    expect(summary({ priority: 1.5 })).toEqual(["spec.priority:FieldValueInvalid"]);
    expect(summary({ priority: "10" })).toEqual(["spec.priority:FieldValueInvalid"]);
    expect(summary({ priority: 0 })).toEqual([]);
  });

  test("rejects a description longer than 512 characters", () => {
    expect(summary({ description: "d".repeat(513) })).toEqual(["spec.description:FieldValueTooLong"]);
  });

  test("requires one of port or portRange in each ports entry", () => {
    expect(withSpec({ ports: [{}] })).toEqual([
      { field: "spec.ports[0]", reason: "FieldValueRequired", message: "exactly one of port or portRange must be set" },
    ]);
  });

  test("rejects ports outside 1-65535 and non-integer ports", () => {
    expect(summary({ ports: [{ port: 0 }, { port: 65536 }, { port: "22" }, { port: 22.5 }] })).toEqual([
      "spec.ports[0].port:FieldValueInvalid",
      "spec.ports[1].port:FieldValueInvalid",
      "spec.ports[2].port:FieldValueInvalid",
      "spec.ports[3].port:FieldValueInvalid",
    ]);
  });

  test("rejects a portRange whose from is greater than to", () => {
    expect(withSpec({ ports: [{ portRange: { from: 2222, to: 2200 } }] })).toEqual([
      { field: "spec.ports[0].portRange", reason: "FieldValueInvalid", message: "from (2222) must not be greater than to (2200)" },
    ]);
  });

  test("rejects a portRange with a missing or out-of-range bound", () => {
    expect(summary({ ports: [{ portRange: { from: 1 } }, { portRange: { from: 0, to: 70000 } }, { portRange: [1, 2] }] })).toEqual([
      "spec.ports[0].portRange.to:FieldValueRequired",
      "spec.ports[1].portRange.from:FieldValueInvalid",
      "spec.ports[1].portRange.to:FieldValueInvalid",
      "spec.ports[2].portRange:FieldValueInvalid",
    ]);
  });

  test("rejects ports that is not a list", () => {
    expect(summary({ ports: { port: 22 } })).toEqual(["spec.ports:FieldValueInvalid"]);
  });

  test("rejects changing transport of an existing rule as immutable but allows changing action", () => {
    const state = fixtureState();
    const changed = base();
    changed.spec!.transport = "UDP";
    changed.spec!.action = "ACCEPT";
    expect(validateWrite(kindOf("IEAgAgRule"), changed, base(), state)).toEqual([
      { field: "spec.transport", reason: "FieldValueInvalid", message: "field is immutable" },
    ]);
  });
});
