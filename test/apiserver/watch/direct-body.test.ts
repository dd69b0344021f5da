/**
 * Direct watch bodies (src/apiserver/watch/watch-body.ts): over Bun.serve a watch body is a direct
 * stream the server writes into the socket, which pulls only once — so the watcher itself goes on
 * writing a backlog larger than one chunk, and stops when the socket is full (a client that never
 * reads is lapped with one 410, not buffered without end); a watch that ends before its body
 * started ends that body when it starts, with its ERROR if it failed; a client that leaves before
 * its body started ends its watch and frees its slot, with no listener on the request's signal.
 */
import { expect, test } from "bun:test";
import { connect } from "node:net";
import { startApiServer } from "../../../src/apiserver/api-server.ts";
import { createBackendClient } from "../../../src/apiserver/backend-client.ts";
import type { WatchHub } from "../../../src/apiserver/watch/watch-types.ts";
import { MAX_EVENTS_PER_CHUNK } from "../../../src/apiserver/watch/watcher-bounds.ts";
import { kindByName } from "../../../src/kinds/kind-table.ts";
import { clientFor } from "../../helpers/backend-harness.ts";
import { sample } from "../../helpers/fixtures.ts";
import { createAll, createObj, updateObj } from "../../helpers/rpc-helpers.ts";
import { collection } from "../rest/rest-harness.ts";
import { backend, eventually, hub, onCleanup, params, useCleanup } from "./watch-kit.ts";

useCleanup();

const kind = kindByName("AddressGroup")!;

function inShop(n: number) {
  const o = sample("AddressGroup", n).object;
  return { ...o, metadata: { ...o.metadata, name: `ag-${n}`, namespace: "shop" } };
}

test("over Bun.serve a watch body is direct and its watcher holds the admission slot, and a backlog of several chunks arrives whole with no further change", async () => {
  const b = await backend();
  const objects = Array.from({ length: 2 * MAX_EVENTS_PER_CHUNK + 50 }, (_, i) => inShop(i + 1));
  await createAll(clientFor(b.url), objects);
  const h = hub(createBackendClient(b.url), "streaming");
  // What the REST layer hands the hub: a direct body, and the request's admission slot to give back.
  const asked: [boolean | undefined, boolean][] = [];
  const watch: WatchHub = { ...h, serve: (p, signal) => (asked.push([p.directBody, p.onEnd !== undefined]), h.serve(p, signal)) };
  const api = await startApiServer("127.0.0.1", 0, { backend: createBackendClient(b.url), watch });
  onCleanup(() => api.close());

  const ac = new AbortController();
  onCleanup(() => ac.abort());
  // No resourceVersion: every object as ADDED, more than two chunks' worth, then nothing changes.
  const res = await fetch(`${api.url}${collection(kind.plural)}?watch=true`, { signal: ac.signal });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  const dec = new TextDecoder();
  let text = "";
  const added = () => text.split('{"type":"ADDED"').length - 1;
  const deadline = Date.now() + 8000;
  while (added() < objects.length && Date.now() < deadline) {
    const r = await Promise.race([reader.read(), Bun.sleep(500).then(() => undefined)]);
    if (r?.done) break;
    if (r?.value) text += dec.decode(r.value, { stream: true });
  }
  expect(asked).toEqual([[true, true]]);
  expect(added()).toBe(objects.length);
});

test("a direct-body watch that ends before its body starts ends the body at its start, with the ERROR if it failed", async () => {
  const b = await backend();
  const h = hub(createBackendClient(b.url), "streaming", { resourceVersionWaitMs: 100 });
  // A negative timeout: the watch ends at once, before anything reads its body.
  const ended = h.serve(params(kind, { directBody: true, timeoutSeconds: -1 }), new AbortController().signal);
  // A resourceVersion the server never reaches: a 504 ERROR after the wait, still before any read.
  const failed = h.serve(params(kind, { directBody: true, resourceVersion: "999999999" }), new AbortController().signal);
  await eventually(() => h.stats()[kind.kind]?.errorsSent === 1, 5000, "the ERROR");
  await Bun.sleep(50);

  expect(await ended.text()).toBe("");
  const lines = (await failed.text()).split("\n").filter(Boolean);
  expect(lines.length).toBe(1);
  const error = JSON.parse(lines[0]!) as { type: string; object: { code: number } };
  expect(error.type).toBe("ERROR");
  expect(error.object.code).toBe(504);
});

test("over Bun.serve a client that never reads stops its watcher once the socket is full, and the ring laps it with one 410", async () => {
  const b = await backend();
  const rpc = clientFor(b.url);
  const h = hub(createBackendClient(b.url), "streaming", { cacheCapacity: 64 });
  const api = await startApiServer("127.0.0.1", 0, { backend: createBackendClient(b.url), watch: h });
  onCleanup(() => api.close());
  let cur = await createObj(rpc, inShop(1));

  const url = new URL(api.url);
  const sock = connect(Number(url.port), url.hostname);
  onCleanup(() => void sock.destroy());
  let head = "";
  sock.on("data", (d: Buffer) => {
    head += d.toString("latin1");
    if (head.includes("\r\n\r\n")) sock.pause(); // from here on nothing is read
  });
  sock.write(`GET ${collection(kind.plural)}?watch=true&resourceVersion=${cur.metadata.resourceVersion} HTTP/1.1\r\nHost: ${url.host}\r\n\r\n`);
  await eventually(() => h.stats()[kind.kind]?.activeWatchers === 1 && head.includes("\r\n\r\n"), 5000, "the watch");

  // ~10 MiB of events: more than loopback socket buffers hold, and far more than the ring.
  const payload = "x".repeat(16 * 1024);
  for (let i = 0; i < 640; i++) cur = await updateObj(rpc, { ...cur, metadata: { ...cur.metadata, annotations: { payload: `${i}${payload}` } } });
  await eventually(() => h.stats()[kind.kind]!.activeWatchers === 0, 5000, "the stalled watcher ended");
  expect(h.stats()[kind.kind]!.lappedCursors).toBe(1);
  expect(h.stats()[kind.kind]!.errorsSent).toBe(1);
}, 60_000);

test("over Bun.serve a client that leaves before its direct body started ends its watch and frees its slot", async () => {
  const b = await backend();
  const h = hub(createBackendClient(b.url), "streaming");
  let stall = true;
  const watch: WatchHub = {
    ...h,
    serve(p, signal) {
      const res = h.serve(p, signal);
      // Hold the handler after the watcher exists: the client leaves before the body starts.
      const until = Date.now() + 400;
      while (stall && Date.now() < until);
      return res;
    },
  };
  const api = await startApiServer("127.0.0.1", 0, { backend: createBackendClient(b.url), watch, limits: { maxWatchesPerClient: 1 } });
  onCleanup(() => api.close());
  const url = new URL(api.url);
  // Another process, so it sends, closes and exits while this one is busy in the handler.
  const client = Bun.spawn(
    [
      process.execPath,
      "-e",
      `const s = require("node:net").connect(${url.port}, "127.0.0.1", () => { s.write("GET ${collection(kind.plural)}?watch=true HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n"); setTimeout(() => process.exit(0), 100); });`,
    ],
    { stdout: "ignore", stderr: "inherit" },
  );
  expect(await client.exited).toBe(0);
  await eventually(() => h.stats()[kind.kind]?.activeWatchers === 0, 5000, "the watch ended");
  // Its slot is free: the client's one watch fits again.
  stall = false;
  const ac = new AbortController();
  onCleanup(() => ac.abort());
  const again = await fetch(`${api.url}${collection(kind.plural)}?watch=true`, { signal: ac.signal });
  expect(again.status).toBe(200);
});
