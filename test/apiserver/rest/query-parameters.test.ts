/**
 * Query parameters of list and watch requests, read as kube-apiserver reads them: booleans by
 * apimachinery's conversion (only absent, "0" and "false" in any case are false), int64 numbers by
 * strconv.ParseInt (400 with Go's wording), and ListOptions validation (422 Invalid on
 * ListOptions.meta.k8s.io) — over HTTP against a real API server, backend and watch hub.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { collection } from "./rest-harness.ts";
import { readEvents, startLiveHubStack, type LiveHubStack } from "./live-hub-stack.ts";

let s: LiveHubStack;
const AG = collection("addressgroups");

beforeAll(async () => {
  s = await startLiveHubStack({ resourceVersionWaitMs: 200 });
  await s.createGroup(1);
});
afterAll(() => s.close());

/** Opens a GET and says whether it answered with a watch stream (an ADDED event first) or a list. */
async function shapeOf(query: string): Promise<"watch" | "list"> {
  const res = await s.http(`${AG}?${query}&timeoutSeconds=5`, { headers: { accept: "application/json" } });
  expect(res.status).toBe(200);
  const [first] = await readEvents(res, () => true);
  if (first?.type === "ADDED") return "watch";
  expect(first?.kind).toBe("AddressGroupList");
  return "list";
}

describe("boolean query parameters follow apimachinery's conversion", () => {
  test.each(["True", "TRUE", "true", "1", "yes", ""])("watch=%p starts a watch", async (v) => {
    expect(await shapeOf(`watch=${v}`)).toBe("watch");
  });

  test.each(["false", "False", "FALSE", "0"])("watch=%p is a list", async (v) => {
    expect(await shapeOf(`watch=${v}`)).toBe("list");
  });

  test("sendInitialEvents=True (any case) ends the initial events with the initial-events-end BOOKMARK", async () => {
    const res = await s.http(`${AG}?watch=True&sendInitialEvents=True&allowWatchBookmarks=TRUE&resourceVersionMatch=NotOlderThan&timeoutSeconds=5`);
    expect(res.status).toBe(200);
    const events = await readEvents(res, (ev) => ev.type === "BOOKMARK");
    const bookmark = events.at(-1);
    expect(bookmark.type).toBe("BOOKMARK");
    expect(bookmark.object.metadata.annotations["k8s.io/initial-events-end"]).toBe("true");
    expect(events.some((ev) => ev.type === "ADDED" && ev.object.metadata.name === "ag-1")).toBe(true);
  });
});

describe("numbers: limit and timeoutSeconds", () => {
  test("a limit beyond the backend's int32 but inside int64 is simply 'everything'", async () => {
    const r = await s.call("GET", `${AG}?limit=99999999999`);
    expect(r.status).toBe(200);
    expect(r.body.items.length).toBeGreaterThan(0);
    expect(r.body.metadata.continue).toBeUndefined();
  });

  test("a negative or zero limit means no limit, as in Kubernetes", async () => {
    for (const v of ["-5", "0"]) {
      const r = await s.call("GET", `${AG}?limit=${v}`);
      expect(r.status).toBe(200);
      expect(r.body.items.length).toBeGreaterThan(0);
    }
  });

  test.each([
    ["limit", "99999999999999999999", 'strconv.ParseInt: parsing "99999999999999999999": value out of range'],
    ["limit", "ten", 'strconv.ParseInt: parsing "ten": invalid syntax'],
    ["limit", "", 'strconv.ParseInt: parsing "": invalid syntax'],
    ["timeoutSeconds", "soon", 'strconv.ParseInt: parsing "soon": invalid syntax'],
  ])("%s=%p is a 400 BadRequest with Go's parse error", async (name, value, message) => {
    for (const watch of ["", "&watch=true"]) {
      const r = await s.call("GET", `${AG}?${name}=${encodeURIComponent(value)}${watch}`);
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ kind: "Status", status: "Failure", reason: "BadRequest", code: 400, message });
    }
  });

  test("a negative timeoutSeconds ends the watch at once (200, no events)", async () => {
    const res = await s.http(`${AG}?watch=true&resourceVersion=1&timeoutSeconds=-1`);
    expect(res.status).toBe(200);
    expect(await readEvents(res, () => false, 5000)).toEqual([]);
  });
});

describe("resourceVersion and resourceVersionMatch", () => {
  test("a resourceVersion that is not a number is a 400 on list and on watch", async () => {
    for (const watch of ["", "&watch=true"]) {
      const r = await s.call("GET", `${AG}?resourceVersion=abc${watch}`);
      expect(r.status).toBe(400);
      expect(r.body.reason).toBe("BadRequest");
      expect(r.body.message).toBe('invalid resource version: resourceVersion: Invalid value: "abc": strconv.ParseUint: parsing "abc": invalid syntax');
    }
  });

  test("resourceVersion with continue is a 400 on list", async () => {
    const r = await s.call("GET", `${AG}?resourceVersion=5&continue=abc`);
    expect(r.status).toBe(400);
    expect(r.body.message).toBe("specifying resource version is not allowed when using continue");
  });

  const invalid = (body: any) => {
    expect(body).toMatchObject({ kind: "Status", reason: "Invalid", code: 422, details: { group: "meta.k8s.io", kind: "ListOptions" } });
    expect(body.message.startsWith('ListOptions.meta.k8s.io "" is invalid: ')).toBe(true);
    return body.details.causes as { reason: string; field: string; message: string }[];
  };

  test.each([
    ["resourceVersionMatch=NotOlderThan", [["FieldValueForbidden", "Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided"]]],
    ["resourceVersion=5&resourceVersionMatch=Newest", [["FieldValueNotSupported", 'Unsupported value: "Newest": supported values: "Exact", "NotOlderThan", ""']]],
    ["resourceVersion=0&resourceVersionMatch=Exact", [["FieldValueForbidden", 'Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"']]],
    ["resourceVersion=5&resourceVersionMatch=Exact&continue=x", [["FieldValueForbidden", "Forbidden: resourceVersionMatch is forbidden when continue is provided"]]],
  ])("list ?%s is 422 Invalid", async (query, causes) => {
    const r = await s.call("GET", `${AG}?${query}`);
    expect(r.status).toBe(422);
    expect(invalid(r.body).map((c) => [c.reason, c.message])).toEqual(causes);
    expect(invalid(r.body).every((c) => c.field === "resourceVersionMatch")).toBe(true);
  });

  test("sendInitialEvents on a list is 422 Invalid", async () => {
    const r = await s.call("GET", `${AG}?sendInitialEvents=false`);
    expect(r.status).toBe(422);
    expect(invalid(r.body)).toEqual([{ reason: "FieldValueForbidden", field: "sendInitialEvents", message: "Forbidden: sendInitialEvents is forbidden for list" }]);
  });

  test.each([
    ["sendInitialEvents=true", ["Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"]],
    ["sendInitialEvents=false", ["Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"]],
    ["resourceVersionMatch=NotOlderThan", ["Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"]],
    [
      "sendInitialEvents=true&resourceVersionMatch=Exact",
      ["Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan", 'Unsupported value: "Exact": supported values: "NotOlderThan"'],
    ],
  ])("watch ?%s is 422 Invalid", async (query, messages) => {
    const r = await s.call("GET", `${AG}?watch=true&${query}`);
    expect(r.status).toBe(422);
    expect(invalid(r.body).map((c) => c.message)).toEqual(messages);
    if (messages.length > 1) expect(r.body.message).toContain(": [resourceVersionMatch: ");
  });
});
