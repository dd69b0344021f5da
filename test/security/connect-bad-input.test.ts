/**
 * A corpus of malformed and hostile requests against the backend's Connect/gRPC port: each one is
 * answered with a specific client-error code (never `internal` or `unknown`, never HTTP 5xx),
 * nothing reaches the store, and no shared prototype changes. Also: unknown JSON fields and
 * negative List limits are rejected with invalid_argument.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { create, toBinary } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { connect as http2Connect } from "node:http2";
import { CreateReqSchema } from "../../src/gen/netguard/v1/service_pb.ts";
import type { Backend } from "../../src/backend/backend.ts";
import { kindByName } from "../../src/kinds/kind-table.ts";
import { clientFor, startTestBackend } from "../helpers/backend-harness.ts";
import { allFixtures } from "../helpers/fixtures.ts";
import { createAll, listKind, resourceOf } from "../helpers/rpc-helpers.ts";
import { expectPrototypesClean, prototypeSnapshot } from "./prototype-guard.ts";
import { storeSnapshot } from "./store-snapshot.ts";

const SVC = "netguard.v1.NetguardService";
const JSON_T = "application/json";
const deep = (open: string, close: string, n: number, inner = "") => open.repeat(n) + inner + close.repeat(n);
const agJson = (inner: string) => `{"resource":{"addressGroup":{"selfRef":{"name":"c-ag","namespace":"shop"},"defaultAction":"ACCEPT"${inner}}}}`;

type Case = [name: string, method: string, body: string | Uint8Array, contentType: string];

const CASES: Case[] = [
  ["truncated JSON", "Create", "{", JSON_T],
  ["empty body", "Create", "", JSON_T],
  ["JSON array", "Create", "[]", JSON_T],
  ["resource is a number", "Create", '{"resource":5}', JSON_T],
  ["selfRef is a string", "Create", '{"resource":{"addressGroup":{"selfRef":"x"}}}', JSON_T],
  ["unknown enum value", "Create", '{"resource":{"addressGroup":{"selfRef":{"name":"c-ag","namespace":"shop"},"defaultAction":"MAYBE"}}}', JSON_T],
  ["int64 out of range", "Create", agJson(',"meta":{"generation":"99999999999999999999999"}'), JSON_T],
  ["generation is a float", "Create", agJson(',"meta":{"generation":1.5}'), JSON_T],
  ["labels is a list", "Create", agJson(',"meta":{"labels":["a"]}'), JSON_T],
  ["label value is a number", "Create", agJson(',"meta":{"labels":{"a":5}}'), JSON_T],
  ["label value of 64 characters", "Create", agJson(`,"meta":{"labels":{"a":"${"v".repeat(64)}"}}`), JSON_T],
  ["__proto__ label key", "Create", agJson(',"meta":{"labels":{"__proto__":"x"}}'), JSON_T],
  ["unknown top-level field", "Create", '{"resource":{"addressGroup":{"selfRef":{"name":"c-ag","namespace":"shop"}}},"colour":"red"}', JSON_T],
  ["unknown nested field", "Create", agJson(',"trace":true,"bogus":1'), JSON_T],
  ["__proto__ key", "Create", agJson(',"__proto__":{"logs":true}'), JSON_T],
  ["constructor key", "Create", '{"constructor":{"prototype":{"x":1}}}', JSON_T],
  ["no resource", "Create", "{}", JSON_T],
  ["empty resource", "Create", '{"resource":{}}', JSON_T],
  ["no name", "Create", '{"resource":{"addressGroup":{"selfRef":{"namespace":"shop"},"defaultAction":"ACCEPT"}}}', JSON_T],
  ["invalid name", "Create", '{"resource":{"addressGroup":{"selfRef":{"name":"Bad_Name","namespace":"shop"},"defaultAction":"ACCEPT"}}}', JSON_T],
  ["100000 levels of [", "Create", deep("[", "]", 100_000), JSON_T],
  ["100000 levels inside a message", "Create", agJson(`,"meta":${deep('{"labels":', "}", 100_000, "{}")}`), JSON_T],
  ["update of a missing object", "Update", '{"resource":{"addressGroup":{"selfRef":{"name":"missing","namespace":"shop"},"defaultAction":"ACCEPT"}}}', JSON_T],
  ["update with a stale resourceVersion", "Update", '{"resource":{"addressGroup":{"selfRef":{"name":"ag-worker","namespace":"shop"},"defaultAction":"ACCEPT","meta":{"resourceVersion":"1"}}}}', JSON_T],
  ["delete with an unknown kind", "Delete", '{"kind":"NOPE","identifier":{"name":"ag-worker","namespace":"shop"}}', JSON_T],
  ["delete with a wrong uid", "Delete", '{"kind":"RESOURCE_KIND_ADDRESS_GROUP","identifier":{"name":"ag-worker","namespace":"shop"},"uid":"nope"}', JSON_T],
  ["list with a negative limit", "ListAddressGroups", '{"query":{"limit":-1}}', JSON_T],
  ["list with a limit beyond int32", "ListAddressGroups", '{"query":{"limit":4294967296}}', JSON_T],
  ["list with a bad label selector", "ListAddressGroups", '{"query":{"labelSelector":"a in ("}}', JSON_T],
  ["list with a bad field selector", "ListAddressGroups", '{"query":{"fieldSelector":"spec.x=1"}}', JSON_T],
  ["list with a garbage continue token", "ListAddressGroups", '{"query":{"limit":1,"continueToken":"\\u0000garbage"}}', JSON_T],
  ["sync with an unknown op", "Sync", '{"syncOp":"NOPE"}', JSON_T],
  ["wrong content type", "Create", agJson(""), "text/plain"],
  ["XML content type", "Create", "<x/>", "application/xml"],
  ["unknown method", "Explode", "{}", JSON_T],
];

let backend: Backend;
const clean = prototypeSnapshot();
beforeAll(async () => {
  backend = await startTestBackend();
  await createAll(clientFor(backend.url), allFixtures());
});
afterAll(() => backend.close());

/** One Connect unary call over HTTP/1.1 with a raw body: HTTP status and the error code, if any. */
async function connectCall(method: string, body: string | Uint8Array, contentType: string): Promise<{ status: number; code?: string; text: string }> {
  const res = await fetch(`${backend.url}/${SVC}/${method}`, { method: "POST", headers: { "content-type": contentType, "connect-protocol-version": "1" }, body });
  const text = await res.text();
  let code: string | undefined;
  try {
    code = JSON.parse(text).code;
  } catch {
    // not a Connect error body (415, 404 from the router)
  }
  return { status: res.status, code, text };
}

/** One gRPC call over HTTP/2 with raw message bytes (length-prefixed frame): the grpc-status and message. */
function grpcCall(url: string, method: string, message: Uint8Array): Promise<{ status: number; message: string }> {
  return new Promise((resolve, reject) => {
    const session = http2Connect(url);
    session.on("error", reject);
    const frame = new Uint8Array(5 + message.length);
    new DataView(frame.buffer).setUint32(1, message.length);
    frame.set(message, 5);
    const req = session.request({ ":method": "POST", ":path": `/${SVC}/${method}`, "content-type": "application/grpc+proto", te: "trailers" });
    let headers: Record<string, unknown> = {};
    req.on("response", (h) => (headers = h));
    req.on("trailers", (t) => (headers = { ...headers, ...t }));
    req.on("data", () => undefined);
    req.on("end", () => {
      session.close();
      resolve({ status: Number(headers["grpc-status"]), message: decodeURIComponent(String(headers["grpc-message"] ?? "")) });
    });
    req.on("error", reject);
    req.end(frame);
  });
}

const BAD_CODES = new Set(["internal", "unknown"]);

test(`${CASES.length} malformed or hostile Connect requests: each a client-error code, nothing written, prototypes clean`, async () => {
  const client = clientFor(backend.url);
  const before = await storeSnapshot(client);
  const wrong: string[] = [];
  for (const [name, method, body, type] of CASES) {
    const r = await connectCall(method, body, type);
    const ok = r.status >= 400 && r.status < 500 && !(r.code !== undefined && BAD_CODES.has(r.code)) && !/\n\s+at /.test(r.text);
    if (!ok) wrong.push(`${name}: ${r.status} ${r.text.slice(0, 200)}`);
    if (process.env.SHOW_CASES) console.log(name, r.status, r.code, r.text.slice(0, 120));
  }
  expect(wrong).toEqual([]);
  expect(await storeSnapshot(client)).toEqual(before);
  expectPrototypesClean(clean);
}, 30_000);

describe("strict Connect requests", () => {
  test("an unknown JSON field on a write is invalid_argument naming the field; nothing is created", async () => {
    const r = await connectCall("Create", agJson(',"colour":"red"').replace("c-ag", "c-unknown"), JSON_T);
    expect(r.code).toBe("invalid_argument");
    expect(r.text).toContain("colour");
    const items = (await listKind(clientFor(backend.url), kindByName("AddressGroup")!)).items;
    expect(items.some((o) => o.metadata.name === "c-unknown")).toBe(false);
  });

  test("a negative List limit is invalid_argument; zero still means no limit", async () => {
    const client = clientFor(backend.url);
    const kind = kindByName("AddressGroup")!;
    const err = await listKind(client, kind, { limit: -1 }).catch((e) => e);
    expect(err).toBeInstanceOf(ConnectError);
    expect((err as ConnectError).code).toBe(Code.InvalidArgument);
    expect((err as ConnectError).rawMessage).toContain("limit");
    const all = await listKind(client, kind, { limit: 0 });
    expect(all.items.length).toBeGreaterThan(1);
    expect(all.continueToken).toBe("");
  });
});

describe("malformed protobuf bytes", () => {
  const valid = toBinary(CreateReqSchema, create(CreateReqSchema, { resource: resourceOf(allFixtures()[0]!), dryRun: true }));
  const garbage: Array<[string, Uint8Array]> = [
    ["random bytes", new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])],
    ["truncated message", valid.slice(0, Math.floor(valid.length / 2))],
    ["length beyond the end", new Uint8Array([0x0a, 0xff, 0x01, 0x00])],
    ["deeply nested groups", new Uint8Array(new Array(100_000).fill(0x0b))],
  ];

  test("never crash the server, never write, and leave it serving", async () => {
    const client = clientFor(backend.url);
    const before = await storeSnapshot(client);
    for (const [, bytes] of garbage) {
      const c = await connectCall("Create", bytes, "application/proto");
      expect(c.status).toBeGreaterThanOrEqual(400);
      expect(c.code).toBeDefined();
      const g = await grpcCall(backend.url, "Create", bytes);
      if (process.env.SHOW_CASES) console.log(c.code, c.text.slice(0, 100), g);
      expect(g.status).toBeGreaterThan(0);
    }
    expect(await storeSnapshot(client)).toEqual(before);
    expectPrototypesClean(clean);
  });

  // connect-es parses request bytes before any handler or interceptor runs and codes a parse
  // failure `internal`; src/backend/rpc/malformed-request-gate.ts re-codes it invalid_argument.
  test("answer invalid_argument over Connect and gRPC", async () => {
    for (const [, bytes] of garbage) {
      expect((await connectCall("Create", bytes, "application/proto")).code).toBe("invalid_argument");
      expect((await grpcCall(backend.url, "Create", bytes)).status).toBe(Code.InvalidArgument);
    }
  });
});
