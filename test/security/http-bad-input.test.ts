/**
 * A corpus of hostile and malformed requests against the Kubernetes API: every one is answered with
 * a 4xx `Status` whose code matches the HTTP status (never a 500, never a stack trace), nothing
 * reaches the store, and no shared prototype changes.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { clientFor } from "../helpers/backend-harness.ts";
import { collection, objectPath, seedFixtures, startRestStack, type RestStack } from "../apiserver/rest/rest-harness.ts";
import { expectPrototypesClean, prototypeSnapshot } from "./prototype-guard.ts";
import { storeSnapshot } from "./store-snapshot.ts";

const JSON_T = { "content-type": "application/json" };
const YAML_T = { "content-type": "application/yaml" };
const MERGE = { "content-type": "application/merge-patch+json" };
const JSONP = { "content-type": "application/json-patch+json" };
const APPLY = { "content-type": "application/apply-patch+yaml" };
const COLL = collection("addressgroups");
const AG = objectPath("addressgroups", "ag-worker");
const HEAD = '"apiVersion":"netguard.sgroups.io/v1beta1","kind":"AddressGroup"';
const ag = (metadata: string, spec = '{"defaultAction":"ACCEPT"}') => `{${HEAD},"metadata":${metadata},"spec":${spec}}`;
const deep = (open: string, close: string, n: number, inner = "") => open.repeat(n) + inner + close.repeat(n);

type Case = [name: string, method: string, path: string, body: string | undefined, headers: Record<string, string>];

const CASES: Case[] = [
  // malformed bodies
  ["truncated JSON", "POST", COLL, "{nope", JSON_T],
  ["JSON null", "POST", COLL, "null", JSON_T],
  ["JSON array", "POST", COLL, "[]", JSON_T],
  ["JSON number", "POST", COLL, "1", JSON_T],
  ["trailing garbage", "POST", COLL, `${ag('{"name":"x1"}')}}`, JSON_T],
  ["empty body", "POST", COLL, "", JSON_T],
  ["lone surrogate", "POST", COLL, ag('{"name":"\\ud800"}'), JSON_T],
  ["control characters in name", "POST", COLL, ag('{"name":"a\\u0000b\\nc"}'), JSON_T],
  ["100000 levels of [", "POST", COLL, deep("[", "]", 100_000), JSON_T],
  ["100000 levels of objects", "POST", COLL, deep('{"a":', "}", 100_000, "1"), JSON_T],
  ["deep nesting inside spec", "POST", COLL, ag('{"name":"x2"}', `{"defaultAction":"ACCEPT","x":${deep("[", "]", 5000)}}`), JSON_T],
  ["malformed YAML", "POST", COLL, "metadata: [\n", YAML_T],
  ["YAML 100000 levels of [", "POST", COLL, deep("[", "]", 100_000), YAML_T],
  ["YAML alias bomb", "POST", COLL, `a: &a ["x","x","x","x","x","x","x","x","x"]\n${Array.from({ length: 12 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`).join("\n")}\n`, YAML_T],
  ["YAML with two documents", "POST", COLL, "kind: AddressGroup\n---\nkind: AddressGroup\n", YAML_T],
  ["YAML scalar", "POST", COLL, "just a string\n", YAML_T],
  ["unsupported media type", "POST", COLL, ag('{"name":"x3"}'), { "content-type": "text/plain" }],
  ["XML", "POST", COLL, "<AddressGroup/>", { "content-type": "application/xml" }],
  // wrong types
  ["metadata is a string", "POST", COLL, `{${HEAD},"metadata":"x","spec":{}}`, JSON_T],
  ["name is a number", "POST", COLL, ag('{"name":5}'), JSON_T],
  ["labels is a list", "POST", COLL, ag('{"name":"x4","labels":["a"]}'), JSON_T],
  ["label value is a number", "POST", COLL, ag('{"name":"x5","labels":{"a":5}}'), JSON_T],
  ["spec is a list", "POST", COLL, ag('{"name":"x6"}', "[]"), JSON_T],
  ["defaultAction is an object", "POST", COLL, ag('{"name":"x7"}', '{"defaultAction":{"a":1}}'), JSON_T],
  ["apiVersion is a number", "POST", COLL, '{"apiVersion":7,"kind":"AddressGroup","metadata":{"name":"x8"},"spec":{"defaultAction":"ACCEPT"}}', JSON_T],
  ["kind of another type", "POST", COLL, '{"apiVersion":"netguard.sgroups.io/v1beta1","kind":"Service","metadata":{"name":"x9"},"spec":{}}', JSON_T],
  ["namespace differs from the URL", "POST", COLL, ag('{"name":"x10","namespace":"other"}'), JSON_T],
  ["generation is a string", "POST", COLL, ag('{"name":"x11","generation":"1"}'), JSON_T],
  ["finalizers is an object", "POST", COLL, ag('{"name":"x12","finalizers":{"a":1}}'), JSON_T],
  // hostile keys (Strict: unknown fields)
  ["__proto__ at the root, Strict", "POST", `${COLL}?fieldValidation=Strict`, `{${HEAD},"__proto__":{"x":1},"metadata":{"name":"x13"},"spec":{"defaultAction":"ACCEPT"}}`, JSON_T],
  ["constructor in spec, Strict", "POST", `${COLL}?fieldValidation=Strict`, ag('{"name":"x14"}', '{"defaultAction":"ACCEPT","constructor":{"prototype":{"x":1}}}'), JSON_T],
  ["__proto__ label key", "POST", COLL, ag('{"name":"x15","labels":{"__proto__":"x"}}'), JSON_T],
  ["__proto__ annotation key", "POST", COLL, ag('{"name":"x16","annotations":{"__proto__":"x"}}'), JSON_T],
  ["prototype in YAML, Strict", "POST", `${COLL}?fieldValidation=Strict`, "apiVersion: netguard.sgroups.io/v1beta1\nkind: AddressGroup\nmetadata: {name: x17, prototype: {x: 1}}\nspec: {defaultAction: ACCEPT}\n", YAML_T],
  // oversized values
  ["label value of 64 characters", "POST", COLL, ag(`{"name":"x18","labels":{"a":"${"v".repeat(64)}"}}`), JSON_T],
  ["label key name of 64 characters", "POST", COLL, ag(`{"name":"x19","labels":{"${"k".repeat(64)}":"v"}}`), JSON_T],
  ["name of 300 characters", "POST", COLL, ag(`{"name":"${"n".repeat(300)}"}`), JSON_T],
  // bad query parameters and selectors
  ["unterminated set selector", "GET", `${COLL}?labelSelector=${encodeURIComponent("tier in (web")}`, undefined, {}],
  ["selector on a bad key", "GET", `${COLL}?labelSelector=${encodeURIComponent("-bad-=x")}`, undefined, {}],
  ["selector with a bad value", "GET", `${COLL}?labelSelector=${encodeURIComponent("a=b c")}`, undefined, {}],
  ["unsupported field selector", "GET", `${COLL}?fieldSelector=spec.defaultAction%3DACCEPT`, undefined, {}],
  ["malformed field selector", "GET", `${COLL}?fieldSelector=metadata.name`, undefined, {}],
  ["limit is not a number", "GET", `${COLL}?limit=ten`, undefined, {}],
  ["limit overflows int64", "GET", `${COLL}?limit=99999999999999999999999`, undefined, {}],
  ["garbage continue token", "GET", `${COLL}?limit=1&continue=%00%ff`, undefined, {}],
  ["resourceVersion is not a number", "GET", `${COLL}?resourceVersion=abc`, undefined, {}],
  ["unknown resourceVersionMatch", "GET", `${COLL}?resourceVersion=1&resourceVersionMatch=Bogus`, undefined, {}],
  ["timeoutSeconds is not a number", "GET", `${COLL}?timeoutSeconds=x`, undefined, {}],
  ["unknown dryRun value", "POST", `${COLL}?dryRun=Sometimes`, ag('{"name":"x20"}'), JSON_T],
  ["unknown fieldValidation", "POST", `${COLL}?fieldValidation=Lax`, ag('{"name":"x21"}'), JSON_T],
  ["fieldManager with control characters", "POST", `${COLL}?fieldManager=%01%02`, ag('{"name":"x22"}'), JSON_T],
  ["fieldManager of 200 bytes", "POST", `${COLL}?fieldManager=${"m".repeat(200)}`, ag('{"name":"x23"}'), JSON_T],
  // bad patches
  ["JSON patch is an object", "PATCH", AG, '{"op":"add"}', JSONP],
  ["JSON patch with an unknown op", "PATCH", AG, '[{"op":"explode","path":"/spec"}]', JSONP],
  ["JSON patch pointer without a slash", "PATCH", AG, '[{"op":"add","path":"spec/x","value":1}]', JSONP],
  ["JSON patch bad escape", "PATCH", AG, '[{"op":"add","path":"/spec/~2","value":1}]', JSONP],
  ["JSON patch leading-zero index", "PATCH", AG, '[{"op":"add","path":"/metadata/finalizers/01","value":"x"}]', JSONP],
  ["JSON patch huge index", "PATCH", AG, '[{"op":"add","path":"/metadata/managedFields/100000000000000000000","value":{}}]', JSONP],
  ["JSON patch missing value", "PATCH", AG, '[{"op":"replace","path":"/spec/defaultAction"}]', JSONP],
  ["JSON patch failed test", "PATCH", AG, '[{"op":"test","path":"/spec/defaultAction","value":"NOPE"},{"op":"replace","path":"/spec/defaultAction","value":"ACCEPT"}]', JSONP],
  ["JSON patch move into own child", "PATCH", AG, '[{"op":"move","from":"/spec","path":"/spec/x"}]', JSONP],
  ["JSON patch removes the root", "PATCH", AG, '[{"op":"remove","path":""}]', JSONP],
  ["JSON patch replaces the root with a list", "PATCH", AG, '[{"op":"replace","path":"","value":[]}]', JSONP],
  ["JSON patch writes an invalid value", "PATCH", AG, '[{"op":"replace","path":"/spec/defaultAction","value":"MAYBE"}]', JSONP],
  ["JSON patch renames", "PATCH", AG, '[{"op":"replace","path":"/metadata/name","value":"other"}]', JSONP],
  ["merge patch is a list", "PATCH", AG, "[1]", MERGE],
  ["merge patch is null", "PATCH", AG, "null", MERGE],
  ["merge patch deep nesting", "PATCH", AG, `{"spec":${deep('{"a":', "}", 100_000, "1")}}`, MERGE],
  ["merge patch turns metadata into a number", "PATCH", AG, '{"metadata":-1}', MERGE],
  ["status merge patch turns metadata into a list", "PATCH", `${AG}/status`, '{"metadata":[]}', MERGE],
  ["JSON patch replaces metadata with a string", "PATCH", AG, '[{"op":"replace","path":"/metadata","value":"x"}]', JSONP],
  ["merge patch with a wrong type", "PATCH", AG, '{"spec":{"defaultAction":5}}', MERGE],
  ["merge patch stale resourceVersion", "PATCH", AG, '{"metadata":{"resourceVersion":"1"},"spec":{"logs":true}}', MERGE],
  ["strategic merge patch", "PATCH", AG, "{}", { "content-type": "application/strategic-merge-patch+json" }],
  ["unknown patch type", "PATCH", AG, "{}", { "content-type": "application/x-patch" }],
  ["apply without fieldManager", "PATCH", AG, "kind: AddressGroup\n", APPLY],
  ["apply with malformed YAML", "PATCH", `${AG}?fieldManager=m`, "spec: {\n", APPLY],
  ["apply with deep YAML", "PATCH", `${AG}?fieldManager=m`, `spec: ${deep("[", "]", 100_000)}\n`, APPLY],
  ["force on a merge patch", "PATCH", `${AG}?force=true`, "{}", MERGE],
  // updates and deletes
  ["update with another name", "PUT", AG, ag('{"name":"other"}'), JSON_T],
  ["update with a stale resourceVersion", "PUT", AG, ag('{"name":"ag-worker","resourceVersion":"1"}'), JSON_T],
  ["update with a malformed resourceVersion", "PUT", AG, ag('{"name":"ag-worker","resourceVersion":"abc"}'), JSON_T],
  ["delete with malformed options", "DELETE", AG, "{nope", JSON_T],
  ["delete with a wrong uid precondition", "DELETE", AG, '{"kind":"DeleteOptions","apiVersion":"v1","preconditions":{"uid":"nope"}}', JSON_T],
  ["delete with a bad propagationPolicy", "DELETE", AG, '{"propagationPolicy":"Sideways"}', JSON_T],
  ["delete with gracePeriodSeconds as text", "DELETE", `${AG}?gracePeriodSeconds=soon`, undefined, {}],
  ["deletecollection with a bad selector", "DELETE", `${COLL}?labelSelector=${encodeURIComponent("a in (")}`, undefined, {}],
];

let s: RestStack;
const clean = prototypeSnapshot();
beforeAll(async () => {
  s = await startRestStack();
  await seedFixtures(s);
});
afterAll(() => s.close());

test(`${CASES.length} malformed or hostile requests: each a 4xx Status, nothing written, prototypes clean`, async () => {
  const client = clientFor(s.backend.url);
  const before = await storeSnapshot(client);
  const wrong: string[] = [];
  for (const [name, method, path, body, headers] of CASES) {
    const r = await s.call(method, path, body, headers);
    const b = r.body;
    const ok =
      r.status >= 400 && r.status < 500 && b?.kind === "Status" && b.code === r.status && typeof b.message === "string" && !/\n\s+at /.test(b.message);
    if (!ok) wrong.push(`${name}: ${r.status} ${JSON.stringify(b).slice(0, 300)}`);
  }
  expect(wrong).toEqual([]);
  expect(await storeSnapshot(client)).toEqual(before);
  expectPrototypesClean(clean);
}, 30_000);

test("a server that answered the corpus still serves: list and create work", async () => {
  expect((await s.call("GET", COLL)).status).toBe(200);
  const r = await s.call("POST", COLL, ag('{"name":"ag-after-corpus"}'), JSON_T);
  expect(r.status).toBe(201);
  expect(r.body.metadata.labels).toBeUndefined();
});
