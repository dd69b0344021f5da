/**
 * An HTTP watch client that stops reading until the kernel's socket buffers are full and then reads
 * again (over a real socket to Bun.serve): the watcher stops while the socket is full and goes on
 * when it drains (src/apiserver/watch/watcher.ts: the runtime pulls again), so the client
 * gets every event, in order, with no ERROR — provided the cache still holds them.
 */
import { afterEach, expect, test } from "bun:test";
import { connect } from "node:net";
import { createBackendClient } from "../../src/apiserver/backend-client.ts";
import { startApiServer } from "../../src/apiserver/api-server.ts";
import { createWatchHub } from "../../src/apiserver/watch/watch-hub.ts";
import { kindByName } from "../../src/kinds/kind-table.ts";
import type { KubeObject } from "../../src/kinds/model.ts";
import { clientFor, startTestBackend } from "../helpers/backend-harness.ts";
import { sample } from "../helpers/fixtures.ts";
import { createObj, updateObj } from "../helpers/rpc-helpers.ts";
import { collection } from "../apiserver/rest/rest-harness.ts";

const kind = kindByName("AddressGroup")!;
/** 1,000 events of ~16 KiB: ~16 MiB, more than loopback socket buffers hold. */
const WRITES = 1000;
const PAYLOAD = "x".repeat(16 * 1024);

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

test("an HTTP watch client that stalls until the socket is full and then reads again gets every event in order", async () => {
  const backend = await startTestBackend({ ringCapacity: 2 * WRITES });
  cleanups.push(() => backend.close());
  const backendClient = createBackendClient(backend.url);
  cleanups.push(() => backendClient.close());
  const hub = createWatchHub({ backend: backendClient, mode: "streaming", streamingEnabled: true, pollingIntervalMs: 200, streamReconnectDelayMs: 50, cacheCapacity: 2 * WRITES });
  cleanups.push(() => hub.close());
  const api = await startApiServer("127.0.0.1", 0, { backend: backendClient, watch: hub });
  cleanups.push(() => api.close());
  const rpc = clientFor(backend.url);
  let cur: KubeObject = await createObj(rpc, sample("AddressGroup", 1).object);
  const startRv = Number(cur.metadata.resourceVersion);

  const url = new URL(api.url);
  const sock = connect(Number(url.port), url.hostname);
  cleanups.push(() => sock.destroy());
  let received = "";
  sock.on("data", (d: Buffer) => {
    received += d.toString("latin1");
  });
  sock.write(`GET ${collection(kind.plural)}?watch=true&resourceVersion=${startRv} HTTP/1.1\r\nHost: ${url.host}\r\n\r\n`);
  const end = Date.now() + 8000;
  while (!received.includes("\r\n\r\n") && Date.now() < end) await Bun.sleep(10);
  sock.pause(); // the kernel buffers fill while the events are written

  const rvs: number[] = [];
  for (let i = 0; i < WRITES; i++) {
    cur = await updateObj(rpc, { ...cur, metadata: { ...cur.metadata, annotations: { payload: `${i}${PAYLOAD}` } } });
    rvs.push(Number(cur.metadata.resourceVersion));
  }
  await Bun.sleep(300);
  sock.resume();
  const last = `"resourceVersion":"${rvs.at(-1)}"`;
  const until = Date.now() + 30_000;
  while (!received.includes(last) && Date.now() < until) await Bun.sleep(20);

  const seen: [string, number][] = [];
  for (const m of received.matchAll(/\n\{"type":"(ADDED|MODIFIED|DELETED|ERROR|BOOKMARK)"/g)) {
    const rv = /"resourceVersion":"(\d+)"/.exec(received.slice(m.index));
    seen.push([m[1]!, Number(rv?.[1])]);
  }
  expect(seen.filter(([t]) => t === "ERROR").length).toBe(0);
  expect(seen.map(([, rv]) => rv)).toEqual(rvs);
}, 120_000);
