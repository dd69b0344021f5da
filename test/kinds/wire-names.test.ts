import { describe, expect, test } from "bun:test";
import { NetguardService, ResourceSchema, SyncReqSchema, WatchReqSchema } from "../../src/gen/netguard/v1/service_pb.ts";
import { ServiceSchema } from "../../src/gen/netguard/v1/resources_pb.ts";
import { KINDS } from "../../src/kinds/kind-table.ts";
import { wireNamesOf } from "../../src/kinds/wire-names.ts";

describe("a kind's wire names come from the proto", () => {
  test("a Service is the service case, services subject, ListServices/GetService/WatchServices", () => {
    expect(wireNamesOf(ServiceSchema)).toEqual({
      resourceCase: "service",
      syncCase: "services",
      listMethod: "ListServices",
      getMethod: "GetService",
      watchMethod: "WatchServices",
    });
  });

  test("every kind's names are distinct and name real oneof cases and service methods", () => {
    const methods = new Set(NetguardService.methods.map((m) => m.name));
    const resourceCases = new Set(ResourceSchema.fields.map((f) => f.localName));
    const syncCases = new Set(SyncReqSchema.fields.map((f) => f.localName));
    for (const k of KINDS) {
      expect(resourceCases.has(k.resourceCase)).toBe(true);
      expect(syncCases.has(k.syncCase)).toBe(true);
      for (const m of [k.listMethod, k.getMethod, k.watchMethod]) expect(methods.has(m)).toBe(true);
    }
    for (const key of ["resourceCase", "syncCase", "listMethod", "getMethod", "watchMethod"] as const) {
      expect(new Set(KINDS.map((k) => k[key])).size).toBe(KINDS.length);
    }
  });

  test("a message the proto does not wire as a kind is refused with its name", () => {
    expect(() => wireNamesOf(WatchReqSchema)).toThrow("netguard.v1.WatchReq is not wired");
  });
});
