import { describe, expect, test } from "bun:test";
import { validateObject } from "../../src/kinds/validation/index.ts";
import { kindOf, obj, ref } from "./memory-state.ts";

const mapping = (items: unknown) => obj("AddressGroupPortMapping", "shop", "ag-backend", {}, { accessPorts: { items } });
const check = (items: unknown) => validateObject(kindOf("AddressGroupPortMapping"), mapping(items));
const summary = (items: unknown) => check(items).map((v) => `${v.field}:${v.reason}`);
const item = (name: string, ports: unknown, kind = "Service") => ({ ...ref(kind, "shop", name), ports });

describe("AddressGroupPortMapping", () => {
  test("accepts the mapping Fixture 1 derives for ag-backend", () => {
    expect(check([item("backend", { TCP: [{ port: "8080-8081" }], UDP: [{ port: "5353" }] })])).toEqual([]);
  });

  test("accepts a mapping without accessPorts", () => {
    expect(validateObject(kindOf("AddressGroupPortMapping"), obj("AddressGroupPortMapping", "shop", "ag-backend", {}))).toEqual([]);
  });

  test("rejects an item whose kind is not Service", () => {
    expect(check([item("backend", { TCP: [{ port: "80" }] }, "ServiceAlias")])).toEqual([
      { field: "accessPorts.items[0].kind", reason: "FieldValueInvalid", message: "kind must be 'Service'" },
    ]);
  });

  test("rejects an item with a foreign apiVersion", () => {
    expect(summary([{ ...item("backend", { TCP: [{ port: "80" }] }), apiVersion: "v1" }])).toEqual(["accessPorts.items[0].apiVersion:FieldValueInvalid"]);
  });

  test("rejects invalid, missing and too long port strings", () => {
    expect(summary([item("backend", { TCP: [{ port: "80-" }, {}, { port: "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15" }] })])).toEqual([
      "accessPorts.items[0].ports.TCP[0].port:FieldValueInvalid",
      "accessPorts.items[0].ports.TCP[1].port:FieldValueRequired",
      "accessPorts.items[0].ports.TCP[2].port:FieldValueTooLong",
    ]);
  });

  test("rejects a protocol key other than TCP or UDP", () => {
    expect(summary([item("backend", { ICMP: [{ port: "1" }] })])).toEqual(["accessPorts.items[0].ports.ICMP:FieldValueNotSupported"]);
  });

  test("rejects a port description longer than 256 characters", () => {
    expect(summary([item("backend", { TCP: [{ port: "80", description: "d".repeat(257) }] })])).toEqual([
      "accessPorts.items[0].ports.TCP[0].description:FieldValueTooLong",
    ]);
  });

  test("requires the ports of an item", () => {
    expect(summary([ref("Service", "shop", "backend")])).toEqual(["accessPorts.items[0].ports:FieldValueRequired"]);
  });

  test("rejects overlapping ranges of different Services within a protocol", () => {
    expect(check([item("a", { TCP: [{ port: "8000-8100" }] }), item("b", { TCP: [{ port: "8080" }], UDP: [{ port: "8000" }] })])).toEqual([
      {
        field: "accessPorts.items[1].ports.TCP[0].port",
        reason: "FieldValueInvalid",
        message: "TCP 8080 of Service shop/b overlaps TCP 8000-8100 of Service shop/a",
      },
    ]);
  });

  test("rejects accessPorts and items of the wrong shape", () => {
    expect(validateObject(kindOf("AddressGroupPortMapping"), obj("AddressGroupPortMapping", "shop", "m", {}, { accessPorts: [] })).map((v) => v.field)).toEqual([
      "accessPorts",
    ]);
    expect(summary({})).toEqual(["accessPorts.items:FieldValueInvalid"]);
  });
});
