/**
 * Watch requests: how the REST layer parses them before handing them to the watch hub (a stub here
 * that records the parameters; streaming itself is tested with the real hub).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { GV, collection, objectPath, startRestStack, type RestStack } from "./rest-harness.ts";

const TABLE_ACCEPT = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

let s: RestStack;
beforeAll(async () => {
  s = await startRestStack();
});
afterAll(() => s.close());
beforeEach(() => {
  s.hub.calls.length = 0;
});

const last = () => s.hub.calls[s.hub.calls.length - 1]!;

describe("watch requests", () => {
  test("watch=true on a namespaced collection passes namespace, resourceVersion and format to the hub", async () => {
    const r = await s.call("GET", `${collection("services")}?resourceVersion=3&watch=true`);
    expect(r.status).toBe(501);
    expect(s.hub.calls).toHaveLength(1);
    expect(last()).toMatchObject({ namespace: "shop", resourceVersion: "3", labelSelector: "", fieldSelector: "", format: "json", allowBookmarks: false, sendInitialEvents: false });
    expect(last().kind.kind).toBe("Service");
    expect(last().timeoutSeconds).toBeUndefined();
  });

  test("watch=1 and the deprecated /watch/ prefix are watches too", async () => {
    await s.call("GET", `${collection("addressgroups", "")}?watch=1`);
    expect(last()).toMatchObject({ namespace: "" });
    expect(last().kind.kind).toBe("AddressGroup");
    await s.call("GET", `${GV}/watch/namespaces/infra/rules2s?resourceVersion=7`);
    expect(last()).toMatchObject({ namespace: "infra", resourceVersion: "7" });
    expect(last().kind.kind).toBe("RuleS2S");
    await s.call("GET", `${GV}/watch/ieagagrules`);
    expect(last()).toMatchObject({ namespace: "" });
    expect(s.hub.calls).toHaveLength(3);
  });

  test("a named watch (get <name> -w, or the /watch/ prefix with a name) is a field selector on metadata.name", async () => {
    await s.call("GET", `${objectPath("services", "web")}?watch=true`);
    expect(last().fieldSelector).toBe("metadata.name=web");
    await s.call("GET", `${GV}/watch/namespaces/shop/services/web`);
    expect(last().fieldSelector).toBe("metadata.name=web");
    await s.call("GET", `${objectPath("services", "web")}?watch=true&fieldSelector=metadata.namespace%3Dshop`);
    expect(last().fieldSelector).toBe("metadata.namespace=shop,metadata.name=web");
  });

  test("selectors, bookmarks, initial events, timeout and includeObject are passed on", async () => {
    const q = "labelSelector=app%3Dweb&fieldSelector=metadata.name%3Dweb&allowWatchBookmarks=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&timeoutSeconds=359&includeObject=Object&watch=true";
    await s.call("GET", `${collection("services")}?${q}`, undefined, { accept: TABLE_ACCEPT });
    expect(last()).toMatchObject({
      labelSelector: "app=web",
      fieldSelector: "metadata.name=web",
      allowBookmarks: true,
      sendInitialEvents: true,
      timeoutSeconds: 359,
      format: "table",
      includeObject: "Object",
    });
  });

  test("bad selectors and a malformed timeout are 400 and never reach the hub", async () => {
    const bad = await s.call("GET", `${collection("services")}?watch=true&labelSelector=${encodeURIComponent("a in (")}`);
    expect(bad.status).toBe(400);
    expect(bad.body.reason).toBe("BadRequest");
    const field = await s.call("GET", `${collection("services")}?watch=true&fieldSelector=spec.x%3D1`);
    expect(field.status).toBe(400);
    const timeout = await s.call("GET", `${collection("services")}?watch=true&timeoutSeconds=soon`);
    expect(timeout.status).toBe(400);
    expect(s.hub.calls).toHaveLength(0);
  });

  test("watch=false is a list", async () => {
    const r = await s.call("GET", `${collection("services")}?watch=false`);
    expect(r.status).toBe(200);
    expect(r.body.kind).toBe("ServiceList");
    expect(s.hub.calls).toHaveLength(0);
  });

  test("only GET may watch", async () => {
    const r = await s.call("POST", `${GV}/watch/namespaces/shop/services`, {});
    expect(r.status).toBe(405);
  });
});
