/** Discovery documents and their content types, as kubectl 1.32 and 1.20 read them. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { KINDS } from "../../../src/kinds/kind-table.ts";
import { startRestStack, type RestStack } from "./rest-harness.ts";

const AGGREGATED_V2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
const KUBECTL_132_ACCEPT = `${AGGREGATED_V2},application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json`;
const VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

let s: RestStack;
beforeAll(async () => {
  s = await startRestStack();
});
afterAll(() => s.close());

describe("legacy discovery", () => {
  test("/apis answers a plain APIGroupList with application/json when aggregated discovery is not asked for", async () => {
    const r = await s.call("GET", "/apis?timeout=32s", undefined, { accept: "application/json, */*" });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("application/json");
    expect(r.body).toEqual({
      kind: "APIGroupList",
      apiVersion: "v1",
      groups: [
        {
          name: "netguard.sgroups.io",
          versions: [{ groupVersion: "netguard.sgroups.io/v1beta1", version: "v1beta1" }],
          preferredVersion: { groupVersion: "netguard.sgroups.io/v1beta1", version: "v1beta1" },
        },
      ],
    });
  });

  test("/apis/<group> answers the APIGroup", async () => {
    const r = await s.call("GET", "/apis/netguard.sgroups.io");
    expect(r.status).toBe(200);
    expect(r.body.kind).toBe("APIGroup");
    expect(r.body.name).toBe("netguard.sgroups.io");
    expect(r.body.preferredVersion.version).toBe("v1beta1");
  });

  test("/apis/<group>/<version> lists every kind with plural, singular, short names, category, verbs and a status subresource", async () => {
    const r = await s.call("GET", "/apis/netguard.sgroups.io/v1beta1?timeout=32s", undefined, { accept: "application/json, */*" });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("application/json");
    expect(r.body.kind).toBe("APIResourceList");
    expect(r.body.groupVersion).toBe("netguard.sgroups.io/v1beta1");
    const byName = new Map((r.body.resources as any[]).map((x) => [x.name, x]));
    expect(byName.size).toBe(2 * KINDS.length);
    for (const k of KINDS) {
      const res = byName.get(k.plural);
      expect(res).toEqual({
        name: k.plural,
        singularName: k.singular,
        namespaced: true,
        kind: k.kind,
        verbs: VERBS,
        shortNames: k.shortNames,
        categories: ["netguard"],
      });
      const status = byName.get(`${k.plural}/status`);
      expect(status.kind).toBe(k.kind);
      expect(status.verbs).toEqual(["get", "patch", "update"]);
    }
    expect(byName.get("rules2s").singularName).toBe("rules2s");
    expect(byName.get("services").shortNames).toEqual(["ngsvc"]);
  });

  test("/api answers an empty APIVersions (no core group here)", async () => {
    const r = await s.call("GET", "/api?timeout=32s", undefined, { accept: "application/json, */*" });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("application/json");
    expect(r.body.kind).toBe("APIVersions");
    expect(r.body.versions).toEqual([]);
  });
});

describe("aggregated discovery", () => {
  test("/apis answers APIGroupDiscoveryList v2 with the exact content type kubectl 1.32 requires", async () => {
    const r = await s.call("GET", "/apis?timeout=32s", undefined, { accept: KUBECTL_132_ACCEPT });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe(AGGREGATED_V2);
    expect(r.body.kind).toBe("APIGroupDiscoveryList");
    expect(r.body.apiVersion).toBe("apidiscovery.k8s.io/v2");
    expect(r.body.items).toHaveLength(1);
    const group = r.body.items[0];
    expect(group.metadata.name).toBe("netguard.sgroups.io");
    expect(group.versions).toHaveLength(1);
    expect(group.versions[0].version).toBe("v1beta1");
    expect(group.versions[0].freshness).toBe("Current");
    const resources = group.versions[0].resources as any[];
    expect(resources.map((x) => x.resource).sort()).toEqual(KINDS.map((k) => k.plural).sort());
    for (const k of KINDS) {
      const res = resources.find((x) => x.resource === k.plural);
      expect(res.singularResource).toBe(k.singular);
      expect(res.scope).toBe("Namespaced");
      expect(res.responseKind).toEqual({ group: "netguard.sgroups.io", version: "v1beta1", kind: k.kind });
      expect(res.verbs).toEqual(VERBS);
      expect(res.shortNames).toEqual(k.shortNames);
      expect(res.categories).toEqual(["netguard"]);
      expect(res.subresources).toEqual([{ subresource: "status", responseKind: res.responseKind, verbs: ["get", "patch", "update"] }]);
    }
  });

  test("a client that only accepts v2beta1 gets v2beta1 with its own content type", async () => {
    const accept = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";
    const r = await s.call("GET", "/apis", undefined, { accept });
    expect(r.headers.get("content-type")).toBe("application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList");
    expect(r.body.apiVersion).toBe("apidiscovery.k8s.io/v2beta1");
  });

  test("/api in aggregated mode is an empty APIGroupDiscoveryList with the aggregated content type", async () => {
    const r = await s.call("GET", "/api", undefined, { accept: KUBECTL_132_ACCEPT });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe(AGGREGATED_V2);
    expect(r.body).toEqual({ kind: "APIGroupDiscoveryList", apiVersion: "apidiscovery.k8s.io/v2", metadata: {}, items: [] });
  });

  test("the per-group-version document stays legacy even when the Accept header lists the aggregated type", async () => {
    const r = await s.call("GET", "/apis/netguard.sgroups.io/v1beta1", undefined, { accept: KUBECTL_132_ACCEPT });
    expect(r.headers.get("content-type")).toBe("application/json");
    expect(r.body.kind).toBe("APIResourceList");
  });
});

describe("/version", () => {
  test("reports Kubernetes 1.32 so that kubectl's dispatcher runs a 1.32 client", async () => {
    const r = await s.call("GET", "/version?timeout=5s");
    expect(r.status).toBe(200);
    expect(r.body.major).toBe("1");
    expect(r.body.minor).toBe("32");
    expect(r.body.gitVersion).toStartWith("v1.32.");
  });
});

describe("unknown paths", () => {
  test("a resource this group does not have is a 404 Status", async () => {
    const r = await s.call("GET", "/apis/netguard.sgroups.io/v1beta1/namespaces/shop/pods");
    expect(r.status).toBe(404);
    expect(r.body.kind).toBe("Status");
    expect(r.body.reason).toBe("NotFound");
  });

  test("kubectl's namespace lookup after a NotFound finds an Active namespace", async () => {
    const r = await s.call("GET", "/api/v1/namespaces/shop");
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ kind: "Namespace", apiVersion: "v1", metadata: { name: "shop" }, status: { phase: "Active" } });
  });
});
