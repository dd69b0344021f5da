/**
 * A resourceVersion newer than the server's. kube-apiserver's watch cache waits briefly (3 s) for
 * it and then answers 504 Timeout with a ResourceVersionTooLarge cause and retryAfterSeconds 1: a
 * list directly, a watch-list (sendInitialEvents) as the ERROR event of its stream. A plain watch
 * is established at once and waits the same bounded time (Kubernetes would let it wait for ever;
 * see src/apiserver/watch/watcher.ts for why it ends here with the same ERROR). Exact lists
 * are served only at the current version; older ones are 410 Expired (no list history is kept).
 * The wait is shortened to 400 ms here.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { collection } from "./rest-harness.ts";
import { readEvents, startLiveHubStack, type LiveHubStack } from "./live-hub-stack.ts";

let s: LiveHubStack;
let n = 100;
const AG = collection("addressgroups");

beforeAll(async () => {
  s = await startLiveHubStack({ resourceVersionWaitMs: 400 });
  await s.createGroup(n++);
});
afterAll(() => s.close());

async function currentRv(): Promise<number> {
  const r = await s.call("GET", AG);
  expect(r.status).toBe(200);
  return Number(r.body.metadata.resourceVersion);
}

function expectTooLarge(body: any, requested: number | string, current: number) {
  expect(body).toEqual({
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message: `Timeout: Too large resource version: ${requested}, current: ${current}`,
    reason: "Timeout",
    details: { causes: [{ reason: "ResourceVersionTooLarge", message: "Too large resource version" }], retryAfterSeconds: 1 },
    code: 504,
  });
}

describe("list", () => {
  test.each(["", "&resourceVersionMatch=NotOlderThan", "&resourceVersionMatch=Exact"])(
    "a resourceVersion the server never reaches is 504 Timeout with a ResourceVersionTooLarge cause (%p)",
    async (match) => {
      const cur = await currentRv();
      const r = await s.call("GET", `${AG}?resourceVersion=${cur + 1000}${match}`);
      expect(r.status).toBe(504);
      expect(r.headers.get("retry-after")).toBe("1");
      expectTooLarge(r.body, cur + 1000, cur);
    },
  );

  test("a resourceVersion reached during the wait is served at that version or newer", async () => {
    const cur = await currentRv();
    const pending = s.call("GET", `${AG}?resourceVersion=${cur + 1}`);
    await new Promise((r) => setTimeout(r, 100));
    const created = await s.createGroup(n++);
    const r = await pending;
    expect(r.status).toBe(200);
    expect(Number(r.body.metadata.resourceVersion)).toBeGreaterThanOrEqual(cur + 1);
    expect(r.body.items.map((o: any) => o.metadata.name)).toContain(created.metadata.name);
  });

  test("resourceVersion 0 or one already reached is served at once", async () => {
    const cur = await currentRv();
    for (const rv of ["0", String(cur), "1"]) {
      const r = await s.call("GET", `${AG}?resourceVersion=${rv}`);
      expect(r.status).toBe(200);
      expect(Number(r.body.metadata.resourceVersion)).toBeGreaterThanOrEqual(cur);
    }
  });

  test("Exact at the current version is served; at an older one it is 410 Expired", async () => {
    const cur = await currentRv();
    const exact = await s.call("GET", `${AG}?resourceVersion=${cur}&resourceVersionMatch=Exact`);
    expect(exact.status).toBe(200);
    expect(exact.body.metadata.resourceVersion).toBe(String(cur));
    await s.createGroup(n++);
    const old = await s.call("GET", `${AG}?resourceVersion=${cur}&resourceVersionMatch=Exact`);
    expect(old.status).toBe(410);
    expect(old.body).toMatchObject({ reason: "Expired", code: 410, message: "The resourceVersion for the provided list is too old." });
  });
});

describe("watch", () => {
  const watchList = (rv: number) => `${AG}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds=10&resourceVersion=${rv}`;

  test("a watch-list from a resourceVersion never reached ends with one ERROR event carrying the 504 Status", async () => {
    const cur = await currentRv();
    const res = await s.http(watchList(cur + 1000));
    expect(res.status).toBe(200);
    const events = await readEvents(res, () => false);
    expect(events).toHaveLength(1);
    expect(events[0].type).toBe("ERROR");
    expect(events[0].object.code).toBe(504);
    expect(events[0].object.message).toMatch(new RegExp(`^Timeout: Too large resource version: ${cur + 1000}, current: \\d+$`));
    expect(events[0].object.details).toEqual({ causes: [{ reason: "ResourceVersionTooLarge", message: "Too large resource version" }], retryAfterSeconds: 1 });
  });

  test("a watch-list whose resourceVersion is reached by another kind's write during the wait gets its initial events", async () => {
    const cur = await currentRv();
    const res = await s.http(watchList(cur + 1));
    const events = readEvents(res, (ev) => ev.type === "BOOKMARK" || ev.type === "ERROR");
    await new Promise((r) => setTimeout(r, 100));
    // A Service write moves the global resourceVersion; AddressGroups see no event of their own.
    const svc = await s.call("POST", collection("services"), {
      apiVersion: "netguard.sgroups.io/v1beta1",
      kind: "Service",
      metadata: { name: `rv-svc-${n++}`, namespace: "shop" },
      spec: { ingressPorts: [{ protocol: "TCP", port: String(12_000 + n) }] },
    });
    expect(svc.status).toBe(201);
    const seen = await events;
    expect(seen.at(-1).type).toBe("BOOKMARK");
    expect(Number(seen.at(-1).object.metadata.resourceVersion)).toBeGreaterThanOrEqual(cur + 1);
    expect(seen.filter((ev) => ev.type === "ADDED").length).toBeGreaterThan(0);
  });

  test("a plain watch from a resourceVersion the server never reaches ends with the 504 ERROR after the wait", async () => {
    const cur = await currentRv();
    const res = await s.http(`${AG}?watch=true&timeoutSeconds=10&resourceVersion=${cur + 1000}`);
    expect(res.status).toBe(200);
    const seen = await readEvents(res, (ev) => ev.type === "ERROR");
    expect(seen.map((ev) => ev.type)).toEqual(["ERROR"]);
    // "current" is the hub's cache version: a write made just before (by another test) may not
    // have reached it yet when the list answered, so it is at most the list's version
    const current = Number(/current: (\d+)$/.exec(seen[0].object.message)?.[1]);
    expect(current).toBeGreaterThan(0);
    expect(current).toBeLessThanOrEqual(cur);
    expectTooLarge(seen[0].object, cur + 1000, current);
  });

  test("a plain watch from a future resourceVersion is established at once and delivers the later event", async () => {
    const cur = await currentRv();
    const res = await s.http(`${AG}?watch=true&timeoutSeconds=10&resourceVersion=${cur + 1}`);
    expect(res.status).toBe(200);
    const events = readEvents(res, (ev) => ev.type === "ADDED" || ev.type === "ERROR");
    await s.createGroup(n++); // takes cur + 1
    const created = await s.createGroup(n++); // cur + 2: after the watch's position
    const seen = await events;
    expect(seen.map((ev) => ev.type)).toEqual(["ADDED"]);
    expect(seen[0].object.metadata.name).toBe(created.metadata.name);
  });
});
