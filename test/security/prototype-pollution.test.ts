/**
 * Keys named `__proto__`, `constructor` and `prototype` in client input are data, over every entry
 * point that walks or assigns client keys: JSON patch, merge patch, server-side apply, JSON and
 * YAML bodies, label selectors, and the backend's Connect JSON. Kubernetes treats them as unknown
 * fields (Strict → 400, otherwise dropped) or, as label keys, judges them like any other key. No
 * request may reach a shared prototype, and objects created afterwards carry nothing injected.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { enumOf } from "../../src/kinds/codecs.ts";
import { getPath, setPath } from "../../src/kinds/model.ts";
import { readPath } from "../../src/domain/json-access.ts";
import { collection, objectPath, seedFixtures, startRestStack, type RestStack } from "../apiserver/rest/rest-harness.ts";
import { expectPrototypesClean, prototypeSnapshot } from "./prototype-guard.ts";

const JSONP = { "content-type": "application/json-patch+json" };
const MERGE = { "content-type": "application/merge-patch+json" };
const APPLY = { "content-type": "application/apply-patch+yaml" };
const YAML = { "content-type": "application/yaml" };
const AG = objectPath("addressgroups", "ag-worker");
const AG_HEAD = "apiVersion: netguard.sgroups.io/v1beta1\nkind: AddressGroup\n";

let s: RestStack;
const clean = prototypeSnapshot();
beforeAll(async () => {
  s = await startRestStack();
  await seedFixtures(s);
});
afterAll(() => s.close());

const live = async () => (await s.call("GET", AG)).body;

/**
 * A fresh AddressGroup in a namespace of its own, for tests whose assertions depend on the object's
 * exact content (labels, selector results): other tests in this file patch the shared fixtures.
 */
async function ownGroup(namespace: string): Promise<string> {
  const r = await s.call("POST", collection("addressgroups", namespace), {
    apiVersion: "netguard.sgroups.io/v1beta1",
    kind: "AddressGroup",
    metadata: { name: "ag-own", namespace },
    spec: { defaultAction: "ACCEPT" },
  });
  if (r.status !== 201) throw new Error(`could not create the test's AddressGroup: ${r.status} ${JSON.stringify(r.body)}`);
  return objectPath("addressgroups", "ag-own", namespace);
}

/** A Connect unary call with a raw JSON body: the HTTP status and the parsed answer. */
async function connectJson(method: string, body: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${s.backend.url}/netguard.v1.NetguardService/${method}`, { method: "POST", headers: { "content-type": "application/json" }, body });
  return { status: res.status, body: await res.json() };
}

describe("JSON patch", () => {
  test("a path through __proto__ or constructor is a missing member: 422, nothing written", async () => {
    const own = await ownGroup("pp-json-patch");
    const before = (await s.call("GET", own)).body;
    for (const path of ["/metadata/__proto__/labels", "/spec/__proto__/trace", "/spec/constructor/prototype/x", "/metadata/labels/constructor/polluted"]) {
      const r = await s.call("PATCH", own, [{ op: "add", path, value: { polluted: "1" } }], JSONP);
      expect(r.status).toBe(422);
      expect(r.body).toMatchObject({ kind: "Status", code: 422, reason: "Invalid" });
      expect(r.body.message).toContain("does not exist");
    }
    for (const op of [{ op: "remove", path: "/spec/constructor" }, { op: "replace", path: "/metadata/__proto__", value: {} }, { op: "test", path: "/spec/toString", value: null }]) {
      expect((await s.call("PATCH", own, [op], JSONP)).status).toBe(422);
    }
    expect((await s.call("GET", own)).body.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
    expectPrototypesClean(clean);
  });

  test("adding a __proto__ member is an unknown field: Strict rejects it, otherwise it is dropped", async () => {
    const op = [{ op: "add", path: "/spec/__proto__", value: { trace: true, logs: true } }];
    const strict = await s.call("PATCH", `${AG}?fieldValidation=Strict`, op, JSONP);
    expect(strict.status).toBe(400);
    expect(strict.body.message).toBe('strict decoding error: unknown field "spec.__proto__"');
    const warn = await s.call("PATCH", AG, op, JSONP);
    expect(warn.status).toBe(200);
    expect(warn.headers.get("warning")).toContain('unknown field \\"spec.__proto__\\"');
    expect(warn.body.spec.trace).toBeUndefined();
    expect(warn.body.spec.logs).toBeUndefined();
    expectPrototypesClean(clean);
  });
});

describe("merge patch", () => {
  test("a __proto__ key is an unknown field, never the object's prototype", async () => {
    const body = '{"spec":{"__proto__":{"logs":true,"trace":true}},"metadata":{"constructor":{"prototype":{"polluted":"1"}}}}';
    const strict = await s.call("PATCH", `${AG}?fieldValidation=Strict`, body, MERGE);
    expect(strict.status).toBe(400);
    expect(strict.body.message).toContain('unknown field "spec.__proto__"');
    expect(strict.body.message).toContain('unknown field "metadata.constructor"');
    const r = await s.call("PATCH", AG, body, MERGE);
    expect(r.status).toBe(200);
    expect(r.body.spec.logs).toBeUndefined();
    expect(r.body.spec.trace).toBeUndefined();
    expectPrototypesClean(clean);
  });

  test("label keys: __proto__ is an invalid key (422), constructor is an ordinary label", async () => {
    const own = await ownGroup("pp-labels");
    const bad = await s.call("PATCH", own, '{"metadata":{"labels":{"__proto__":"x"}}}', MERGE);
    expect(bad.status).toBe(422);
    expect(bad.body.details.causes[0].field).toBe("metadata.labels");
    const ok = await s.call("PATCH", own, { metadata: { labels: { constructor: "c", prototype: "p" } } }, MERGE);
    expect(ok.status).toBe(200);
    expect(ok.body.metadata.labels).toEqual({ constructor: "c", prototype: "p" });
    // A selector on `constructor` matches only objects that carry that label (another group in the
    // same namespace has none).
    await s.call("POST", collection("addressgroups", "pp-labels"), {
      apiVersion: "netguard.sgroups.io/v1beta1",
      kind: "AddressGroup",
      metadata: { name: "ag-plain", namespace: "pp-labels" },
      spec: { defaultAction: "DROP" },
    });
    const sel = await s.call("GET", `${collection("addressgroups", "pp-labels")}?labelSelector=constructor`);
    expect(sel.body.items.map((o: any) => o.metadata.name)).toEqual(["ag-own"]);
    const notSel = await s.call("GET", `${collection("addressgroups", "pp-labels")}?labelSelector=toString`);
    expect(notSel.body.items).toEqual([]);
    expectPrototypesClean(clean);
  });
});

describe("server-side apply and object bodies", () => {
  const hostileYaml = (name: string) =>
    `${AG_HEAD}metadata:\n  name: ${name}\n  __proto__:\n    labels: {polluted: "1"}\nspec:\n  defaultAction: ACCEPT\n  __proto__: {logs: true}\n  constructor: {prototype: {trace: true}}\n`;

  test("apply: hostile keys are unknown fields (Strict 400, otherwise dropped)", async () => {
    const path = `${objectPath("addressgroups", "ag-applied")}?fieldManager=hostile`;
    const strict = await s.call("PATCH", `${path}&fieldValidation=Strict`, hostileYaml("ag-applied"), APPLY);
    expect(strict.status).toBe(400);
    expect(strict.body.message).toContain('unknown field "spec.__proto__"');
    const r = await s.call("PATCH", path, hostileYaml("ag-applied"), APPLY);
    expect(r.status).toBe(201);
    expect(r.body.spec).toEqual({ defaultAction: "ACCEPT" });
    expect(r.body.metadata.labels).toBeUndefined();
    expect(JSON.stringify(r.body.metadata.managedFields)).not.toContain("__proto__");
    expectPrototypesClean(clean);
  });

  test("create from YAML and from JSON: hostile keys never reach the stored object", async () => {
    const strict = await s.call("POST", `${collection("addressgroups")}?fieldValidation=Strict`, hostileYaml("ag-yaml"), YAML);
    expect(strict.status).toBe(400);
    const y = await s.call("POST", collection("addressgroups"), hostileYaml("ag-yaml"), YAML);
    expect(y.status).toBe(201);
    expect(y.body.spec).toEqual({ defaultAction: "ACCEPT" });
    const json = `{"apiVersion":"netguard.sgroups.io/v1beta1","kind":"AddressGroup","__proto__":{"spec":{"logs":true}},"metadata":{"name":"ag-json","__proto__":{"labels":{"polluted":"1"}}},"spec":{"defaultAction":"ACCEPT","__proto__":{"trace":true}}}`;
    const j = await s.call("POST", collection("addressgroups"), json);
    expect(j.status).toBe(201);
    expect(j.body.spec).toEqual({ defaultAction: "ACCEPT" });
    expect(j.body.metadata.labels).toBeUndefined();
    expectPrototypesClean(clean);
  });

  test("a label selector on __proto__ is a 400, not a match on the prototype", async () => {
    const r = await s.call("GET", `${collection("addressgroups")}?labelSelector=__proto__`);
    expect(r.status).toBe(400);
    expect(r.body.reason).toBe("BadRequest");
  });
});

describe("Connect JSON", () => {
  test("a __proto__ key in a message is an unknown field: invalid_argument naming it", async () => {
    const r = await connectJson("Create", '{"resource":{"addressGroup":{"selfRef":{"name":"ag-c1","namespace":"shop"},"__proto__":{"logs":true}}}}');
    expect(r.status).toBe(400);
    expect(r.body.code).toBe("invalid_argument");
    expect(r.body.message).toContain("__proto__");
    expectPrototypesClean(clean);
  });

  test("map keys are data: labels __proto__ is invalid, constructor is stored as a label", async () => {
    const bad = await connectJson("Create", '{"resource":{"addressGroup":{"selfRef":{"name":"ag-c2","namespace":"shop"},"defaultAction":"ACCEPT","meta":{"labels":{"__proto__":"x"}}}}}');
    expect(bad.body.code).toBe("invalid_argument");
    expect(bad.body.message).toContain("__proto__");
    const ok = await connectJson("Create", '{"resource":{"addressGroup":{"selfRef":{"name":"ag-c3","namespace":"shop"},"defaultAction":"ACCEPT","meta":{"labels":{"constructor":"c"}}}}}');
    expect(ok.status).toBe(200);
    expect(ok.body.resource.addressGroup.meta.labels).toEqual({ constructor: "c" });
    expect((await s.call("GET", objectPath("addressgroups", "ag-c3"))).body.metadata.labels).toEqual({ constructor: "c" });
    expectPrototypesClean(clean);
  });
});

describe("conversion helpers read and write own properties only", () => {
  test("getPath, readPath, setPath and enum codecs treat __proto__ and constructor as plain keys", () => {
    const obj = JSON.parse('{"spec":{"__proto__":{"trace":true}}}');
    expect(getPath(obj, ["spec", "trace"])).toBeUndefined();
    expect(getPath({}, ["constructor"])).toBeUndefined();
    expect(readPath({ spec: {} }, ["spec", "constructor"])).toBeUndefined();
    expect(getPath(obj, ["spec", "__proto__", "trace"])).toBe(true);
    const target: Record<string, unknown> = {};
    setPath(target, ["__proto__", "polluted"], "1");
    setPath(target, ["constructor", "prototype", "polluted"], "1");
    const whole: Record<string, unknown> = {};
    setPath(whole, ["__proto__"], { polluted: "1" });
    expect(Object.getPrototypeOf(whole)).toBe(Object.prototype);
    expect(whole.polluted).toBeUndefined();
    const codec = enumOf({ ACCEPT: 1, DROP: 2 }, true);
    for (const name of ["constructor", "toString", "__proto__", "hasOwnProperty"]) expect(codec.toProto(name)).toBe(0);
    expect(codec.toProto("DROP")).toBe(2);
    expect(Object.getPrototypeOf(target)).toBe(Object.prototype);
    expect(Object.keys(target).sort()).toEqual(["__proto__", "constructor"]);
    expectPrototypesClean(clean);
  });
});

test("objects created after every hostile request carry nothing injected", async () => {
  const r = await s.call("POST", collection("addressgroups"), { apiVersion: "netguard.sgroups.io/v1beta1", kind: "AddressGroup", metadata: { name: "ag-after" }, spec: { defaultAction: "ACCEPT" } });
  expect(r.status).toBe(201);
  expect(r.body.metadata.labels).toBeUndefined();
  expect(r.body.spec).toEqual({ defaultAction: "ACCEPT" });
  expectPrototypesClean(clean);
});
