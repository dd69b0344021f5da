/** OpenAPI v3 (root + group-version document with real schemas) and the minimal protobuf v2. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { KINDS } from "../../../src/kinds/kind-table.ts";
import { kindSchemaName } from "../../../src/apiserver/openapi/schema-components.ts";
import { schemaHasPath } from "../../../src/apiserver/openapi/schema-walk.ts";
import { startRestStack, type RestStack } from "./rest-harness.ts";

const GV_KEY = "apis/netguard.sgroups.io/v1beta1";
const NS_PATH = (plural: string) => `/apis/netguard.sgroups.io/v1beta1/namespaces/{namespace}/${plural}`;

let s: RestStack;
let doc: any;
beforeAll(async () => {
  s = await startRestStack();
  const root = await s.call("GET", "/openapi/v3");
  const r = await s.call("GET", root.body.paths[GV_KEY].serverRelativeURL);
  doc = r.body;
});
afterAll(() => s.close());

const schema = (name: string) => doc.components.schemas[name];
const resolve = (x: any): any => (x.$ref ? schema(x.$ref.replace("#/components/schemas/", "")) : x.allOf ? resolve(x.allOf[0]) : x);

describe("OpenAPI v3 root", () => {
  test("lists the group-version with a serverRelativeURL carrying a hash", async () => {
    const r = await s.call("GET", "/openapi/v3", undefined, { accept: "application/json, */*" });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("application/json");
    const url = r.body.paths[GV_KEY].serverRelativeURL as string;
    expect(url).toMatch(/^\/openapi\/v3\/apis\/netguard\.sgroups\.io\/v1beta1\?hash=[0-9A-F]{128}$/);
  });

  test("the group-version document is cacheable under its hash and revalidates by ETag", async () => {
    const root = await s.call("GET", "/openapi/v3");
    const url = root.body.paths[GV_KEY].serverRelativeURL as string;
    const first = await s.http(url);
    expect(first.headers.get("cache-control")).toBe("public, immutable");
    const etag = first.headers.get("etag")!;
    const again = await s.http(url, { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
  });
});

describe("OpenAPI v3 group-version document", () => {
  test("every kind has a PATCH operation tagged with its GVK that declares dryRun, fieldManager, fieldValidation and force", () => {
    for (const k of KINDS) {
      for (const path of [`${NS_PATH(k.plural)}/{name}`, `${NS_PATH(k.plural)}/{name}/status`]) {
        const patch = doc.paths[path].patch;
        expect(patch["x-kubernetes-group-version-kind"]).toEqual({ group: "netguard.sgroups.io", version: "v1beta1", kind: k.kind });
        expect(patch["x-kubernetes-action"]).toBe("patch");
        const names = (patch.parameters as any[]).filter((p) => p.in === "query").map((p) => p.name);
        expect(names).toEqual(expect.arrayContaining(["dryRun", "fieldManager", "fieldValidation", "force"]));
      }
    }
  });

  test("patch bodies are JSON patch, merge patch and apply only, never strategic merge patch", () => {
    const text = JSON.stringify(doc);
    expect(text).not.toContain("strategic-merge-patch");
    for (const k of KINDS) {
      const types = Object.keys(doc.paths[`${NS_PATH(k.plural)}/{name}`].patch.requestBody.content).sort();
      expect(types).toEqual(["application/apply-patch+yaml", "application/json-patch+json", "application/merge-patch+json"]);
    }
  });

  test("every kind has list, create, deletecollection, get, replace, delete and status operations", () => {
    for (const k of KINDS) {
      const actions = (path: string) =>
        Object.entries(doc.paths[path])
          .filter(([m]) => m !== "parameters")
          .map(([, o]: [string, any]) => o["x-kubernetes-action"])
          .sort();
      expect(actions(`/apis/netguard.sgroups.io/v1beta1/${k.plural}`)).toEqual(["list"]);
      expect(actions(NS_PATH(k.plural))).toEqual(["deletecollection", "list", "post"]);
      expect(actions(`${NS_PATH(k.plural)}/{name}`)).toEqual(["delete", "get", "patch", "put"]);
      expect(actions(`${NS_PATH(k.plural)}/{name}/status`)).toEqual(["get", "patch", "put"]);
    }
  });

  test("every kind has an object schema tagged with its GVK, with metadata referencing ObjectMeta, spec and status", () => {
    for (const k of KINDS) {
      const obj = schema(`io.sgroups.netguard.v1beta1.${k.kind}`);
      expect(obj["x-kubernetes-group-version-kind"]).toEqual([{ group: "netguard.sgroups.io", version: "v1beta1", kind: k.kind }]);
      expect(obj.properties.metadata.allOf[0].$ref).toBe("#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
      expect(resolve(obj.properties.spec).type).toBe("object");
      const status = resolve(obj.properties.status);
      expect(resolve(status.properties.conditions.items).required).toEqual(["type", "status"]);
      expect(status.properties.observedGeneration.type).toBe("integer");
      expect(schema(`io.sgroups.netguard.v1beta1.${k.listKind}`).properties.items.items.$ref).toBe(`#/components/schemas/io.sgroups.netguard.v1beta1.${k.kind}`);
    }
    const meta = schema("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
    expect(Object.keys(meta.properties)).toEqual(expect.arrayContaining(["name", "namespace", "labels", "annotations", "resourceVersion", "uid", "generateName", "managedFields"]));
  });

  test("every field of the kind table (spec, status and derived) is in the kind's schema", () => {
    for (const k of KINDS) {
      for (const f of k.fields) expect({ kind: k.kind, path: f.path.join("."), found: schemaHasPath(kindSchemaName(k), f.path) }).toMatchObject({ found: true });
      for (const p of [...k.readOnly, ...k.statusFields]) expect(schemaHasPath(kindSchemaName(k), p)).toBe(true);
    }
  });

  test("enums, required fields and descriptions follow the domain reference", () => {
    const svcSpec = schema("io.sgroups.netguard.v1beta1.ServiceSpec");
    expect(svcSpec.description).toBeTruthy();
    const port = resolve(svcSpec.properties.ingressPorts.items);
    expect(port.properties.protocol.enum).toEqual(["TCP", "UDP"]);
    expect(port.required).toEqual(["protocol", "port"]);
    expect(port.properties.port.type).toBe("string");
    const ag = schema("io.sgroups.netguard.v1beta1.AddressGroupSpec");
    expect(ag.properties.defaultAction.enum).toEqual(["ACCEPT", "DROP"]);
    expect(ag.required).toEqual(["defaultAction"]);
    const rule = schema("io.sgroups.netguard.v1beta1.RuleS2SSpec");
    expect(rule.properties.traffic.enum).toEqual(["INGRESS", "EGRESS"]);
    expect(rule.required).toEqual(["traffic", "serviceLocalRef", "serviceRef"]);
    const ie = schema("io.sgroups.netguard.v1beta1.IEAgAgRuleSpec");
    expect(ie.properties.transport.enum).toEqual(["TCP", "UDP"]);
    expect(ie.properties.priority).toMatchObject({ type: "integer", minimum: 0 });
    const portSpec = resolve(ie.properties.ports.items);
    expect(portSpec.properties.port).toMatchObject({ type: "integer", minimum: 1, maximum: 65535 });
    const ref = schema("io.sgroups.netguard.v1beta1.NamespacedObjectReference");
    expect(ref.required).toEqual(["apiVersion", "kind", "name", "namespace"]);
    for (const [name, s2] of Object.entries(doc.components.schemas) as [string, any][]) {
      if (name.startsWith("io.sgroups.netguard")) expect({ name, described: typeof s2.description === "string" && s2.description.length > 0 }).toEqual({ name, described: true });
    }
  });

  test("every $ref in the document resolves", () => {
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(50);
    for (const r of refs) {
      const name = r.slice(8, -1).replace("#/components/schemas/", "");
      expect({ ref: name, present: name in doc.components.schemas }).toEqual({ ref: name, present: true });
    }
  });
});

describe("OpenAPI v2", () => {
  test("is the 5-byte protobuf document Document{swagger:\"2.0\"} served as application/octet-stream", async () => {
    const r = await s.http("/openapi/v2?timeout=32s", { headers: { accept: "application/com.github.proto-openapi.spec.v2@v1.0+protobuf" } });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("application/octet-stream");
    expect([...new Uint8Array(await r.arrayBuffer())]).toEqual([0x0a, 0x03, 0x32, 0x2e, 0x30]);
  });
});
