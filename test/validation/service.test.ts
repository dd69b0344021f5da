import { describe, expect, test } from "bun:test";
import { validateObject, validateWrite } from "../../src/kinds/validation/index.ts";
import { fixture, fixtureState } from "./fixtures.ts";
import { checkWrite, kindOf, obj, ref } from "./memory-state.ts";

const service = (ingressPorts: unknown, extra: Record<string, unknown> = {}) => obj("Service", "shop", "svc", { ingressPorts, ...extra });
const check = (ingressPorts: unknown, extra: Record<string, unknown> = {}) => validateObject(kindOf("Service"), service(ingressPorts, extra));
const summary = (ingressPorts: unknown, extra: Record<string, unknown> = {}) => check(ingressPorts, extra).map((v) => `${v.field}:${v.reason}`);

describe("Service ingress ports (stateless)", () => {
  test("accepts single ports, ranges, comma lists and port 0", () => {
    expect(
      check([
        { protocol: "TCP", port: "0" },
        { protocol: "TCP", port: "80,443,8000-8010" },
        { protocol: "UDP", port: "65535" },
      ]),
    ).toEqual([]);
  });

  test("requires a protocol", () => {
    expect(summary([{ port: "80" }])).toEqual(["spec.ingressPorts[0].protocol:FieldValueRequired"]);
  });

  test("rejects a protocol other than TCP or UDP", () => {
    expect(check([{ protocol: "ICMP", port: "80" }])).toEqual([
      { field: "spec.ingressPorts[0].protocol", reason: "FieldValueNotSupported", message: 'Unsupported value: "ICMP": supported values: "TCP", "UDP"' },
    ]);
    expect(summary([{ protocol: "tcp", port: "80" }])).toEqual(["spec.ingressPorts[0].protocol:FieldValueNotSupported"]);
  });

  test("requires a port", () => {
    expect(summary([{ protocol: "TCP" }])).toEqual(["spec.ingressPorts[0].port:FieldValueRequired"]);
    expect(summary([{ protocol: "TCP", port: "" }])).toEqual(["spec.ingressPorts[0].port:FieldValueRequired"]);
  });

  test("rejects a port string longer than 32 characters", () => {
    expect(check([{ protocol: "TCP", port: "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15" }])).toEqual([
      { field: "spec.ingressPorts[0].port", reason: "FieldValueTooLong", message: "Too long: may not be more than 32 bytes" },
    ]);
  });

  test("rejects a port that does not parse", () => {
    for (const port of ["http", "80-", "80,,443", "80,", "-5", "1-2-3"]) {
      expect({ port, v: summary([{ protocol: "TCP", port }]) }).toEqual({ port, v: ["spec.ingressPorts[0].port:FieldValueInvalid"] });
    }
  });

  test("rejects a port above 65535", () => {
    expect(check([{ protocol: "TCP", port: "65536" }])).toEqual([
      { field: "spec.ingressPorts[0].port", reason: "FieldValueInvalid", message: "port 65536 is out of range 0-65535" },
    ]);
  });

  test("rejects a range whose start is greater than its end", () => {
    expect(check([{ protocol: "TCP", port: "9090-8080" }])).toEqual([
      { field: "spec.ingressPorts[0].port", reason: "FieldValueInvalid", message: "invalid range 9090-8080: start must not be greater than end" },
    ]);
  });

  test("rejects a port that is a number instead of a string", () => {
    expect(check([{ protocol: "TCP", port: 80 }])).toEqual([
      { field: "spec.ingressPorts[0].port", reason: "FieldValueInvalid", message: "must be a string" },
    ]);
  });

  test("rejects a port description longer than 512 characters", () => {
    expect(summary([{ protocol: "TCP", port: "80", description: "d".repeat(513) }])).toEqual(["spec.ingressPorts[0].description:FieldValueTooLong"]);
  });

  test("rejects a Service description longer than 512 characters", () => {
    expect(summary([], { description: "d".repeat(513) })).toEqual(["spec.description:FieldValueTooLong"]);
    expect(check([], { description: "d".repeat(512) })).toEqual([]);
  });

  test("rejects ingressPorts that is not a list, and entries that are not objects", () => {
    expect(summary({ protocol: "TCP", port: "80" })).toEqual(["spec.ingressPorts:FieldValueInvalid"]);
    expect(summary(["TCP/80"])).toEqual(["spec.ingressPorts[0]:FieldValueInvalid"]);
  });

  test("rejects the same protocol and port string twice as a duplicate", () => {
    expect(
      check([
        { protocol: "TCP", port: "80" },
        { protocol: "TCP", port: "80" },
      ]),
    ).toEqual([{ field: "spec.ingressPorts[1].port", reason: "FieldValueDuplicate", message: "duplicate port TCP/80 (also at spec.ingressPorts[0].port)" }]);
  });

  test("rejects overlapping ranges of the same protocol", () => {
    expect(
      check([
        { protocol: "TCP", port: "8000-8100" },
        { protocol: "TCP", port: "443,8080" },
      ]),
    ).toEqual([
      { field: "spec.ingressPorts[1].port", reason: "FieldValueInvalid", message: "TCP 8080 overlaps TCP 8000-8100 at spec.ingressPorts[0].port" },
    ]);
  });

  test("rejects overlapping ranges inside one comma list", () => {
    expect(summary([{ protocol: "UDP", port: "5000-5010,5005" }])).toEqual(["spec.ingressPorts[0].port:FieldValueInvalid"]);
  });

  test("accepts the same port for TCP and UDP", () => {
    expect(
      check([
        { protocol: "TCP", port: "53" },
        { protocol: "UDP", port: "53" },
      ]),
    ).toEqual([]);
  });

  test("rejects a duplicate entry in spec.addressGroups", () => {
    expect(check([], { addressGroups: [ref("AddressGroup", "shop", "ag-a"), ref("AddressGroup", "shop", "ag-a")] })).toEqual([
      { field: "spec.addressGroups[1]", reason: "FieldValueDuplicate", message: "duplicate AddressGroup shop/ag-a (also at spec.addressGroups[0])" },
    ]);
  });
});

describe("Service writes (stateful)", () => {
  test("rejects listing an AddressGroup that a binding already gives to a Service", () => {
    const state = fixtureState();
    const svc = obj("Service", "shop", "svc", { addressGroups: [ref("AddressGroup", "shop", "ag-worker")] });
    expect(checkWrite(state, svc)).toEqual([
      {
        field: "spec.addressGroups[0]",
        reason: "FieldValueForbidden",
        message: "AddressGroup shop/ag-worker already belongs to Service shop/worker via AddressGroupBinding shop/worker-in-ag-worker",
      },
    ]);
  });

  test("rejects the bound Service itself listing its bound AddressGroup in spec", () => {
    const state = fixtureState();
    const worker = fixture("Service", "shop", "worker");
    worker.spec!.addressGroups = [ref("AddressGroup", "shop", "ag-worker")];
    expect(validateWrite(kindOf("Service"), worker, fixture("Service", "shop", "worker"), state).map((v) => v.reason)).toEqual([
      "FieldValueForbidden",
    ]);
  });

  test("allows two Services to list the same AddressGroup when their ports do not overlap", () => {
    const state = fixtureState();
    const svc = obj("Service", "shop", "admin", {
      ingressPorts: [{ protocol: "TCP", port: "8443" }, { protocol: "UDP", port: "80" }],
      addressGroups: [ref("AddressGroup", "shop", "ag-frontend")],
    });
    expect(checkWrite(state, svc)).toEqual([]);
  });

  test("rejects an update that makes a Service's ports overlap another member of its AddressGroup", () => {
    const state = fixtureState();
    state.put(
      obj("Service", "shop", "admin", {
        ingressPorts: [{ protocol: "TCP", port: "8443" }],
        addressGroups: [ref("AddressGroup", "shop", "ag-frontend")],
      }),
    );
    const frontend = fixture("Service", "shop", "frontend");
    (frontend.spec!.ingressPorts as unknown[]).push({ protocol: "TCP", port: "8000-9000" });
    expect(validateWrite(kindOf("Service"), frontend, fixture("Service", "shop", "frontend"), state)).toEqual([
      {
        field: "spec.ingressPorts[2].port",
        reason: "FieldValueInvalid",
        message: "TCP 8000-9000 of Service shop/frontend overlaps TCP 8443 of Service shop/admin in AddressGroup shop/ag-frontend",
      },
    ]);
  });

  test("checks port overlap in AddressGroups reached through a binding", () => {
    const state = fixtureState();
    // An inconsistent legacy state: another Service lists the bound group in spec.
    state.put(
      obj("Service", "shop", "legacy", {
        ingressPorts: [{ protocol: "TCP", port: "9100" }],
        addressGroups: [ref("AddressGroup", "shop", "ag-worker")],
      }),
    );
    const worker = fixture("Service", "shop", "worker");
    worker.spec!.ingressPorts = [{ protocol: "TCP", port: "9000-9200" }];
    expect(validateWrite(kindOf("Service"), worker, fixture("Service", "shop", "worker"), state)).toEqual([
      {
        field: "spec.ingressPorts[0].port",
        reason: "FieldValueInvalid",
        message: "TCP 9000-9200 of Service shop/worker overlaps TCP 9100 of Service shop/legacy in AddressGroup shop/ag-worker",
      },
    ]);
  });

  test("does not compare a Service with its own stored version when its ports change", () => {
    const state = fixtureState();
    const backend = fixture("Service", "shop", "backend");
    backend.spec!.ingressPorts = [{ protocol: "TCP", port: "8080-8090" }];
    expect(validateWrite(kindOf("Service"), backend, fixture("Service", "shop", "backend"), state)).toEqual([]);
  });
});
