/** Watch streams are released as soon as their client goes away, and end with Unavailable on shutdown. */
import { describe, expect, test } from "bun:test";
import { Code, ConnectError } from "@connectrpc/connect";
import type { Backend } from "../../src/backend/backend.ts";
import type { Protocol } from "../helpers/backend-harness.ts";
import { createObj, watchKindRpc } from "../helpers/rpc-helpers.ts";
import { sample } from "../helpers/fixtures.ts";
import { readWatch } from "../helpers/watch-reader.ts";
import { backendPerTest, kind, seedFixtures, sleep } from "./rpc-kit.ts";

const start = backendPerTest();
const Service = kind("Service");
const PROTOCOLS: Protocol[] = ["grpc", "connect", "grpcweb"];

// Bounds here are generous (a loaded 2-core machine): they tell "released" from "leaked", not speed.
const PROMPT_MS = 5000;

async function waitFor(pred: () => boolean, ms: number): Promise<number> {
  const t0 = Date.now();
  while (!pred()) {
    if (Date.now() - t0 > ms) throw new Error(`condition not met within ${ms} ms`);
    await sleep(10);
  }
  return Date.now() - t0;
}

const open = (b: Backend) => b.activeWatches.get("Service") ?? 0;

describe.each(PROTOCOLS)("over %s", (protocol) => {
  test("a watcher that goes away is cleaned up promptly after the client aborts", async () => {
    const { b, client } = await start({}, protocol);
    await seedFixtures(client);
    const watchers = [1, 2, 3].map(() => readWatch(Service, (signal) => watchKindRpc(client, Service, {}, signal)));
    await Promise.all(watchers.map((w) => w.until((es) => es.some((e) => e.initialEventsEnd))));
    expect(open(b)).toBe(3);

    watchers[0]!.stop();
    await waitFor(() => open(b) === 2, PROMPT_MS);
    watchers[1]!.stop();
    watchers[2]!.stop();
    await waitFor(() => open(b) === 0, PROMPT_MS);
    // the server still serves new watchers and writes afterwards
    const again = readWatch(Service, (signal) => watchKindRpc(client, Service, { resourceVersion: String(b.engine.currentRv) }, signal));
    const made = await createObj(client, sample("Service", 1).object);
    await again.until((es) => es.some((e) => e.name === made.metadata.name));
    again.stop();
    await waitFor(() => open(b) === 0, PROMPT_MS);
  });

  test("a watcher idle on a quiet kind (no events at all) is cleaned up too", async () => {
    const { b, client } = await start({}, protocol);
    await seedFixtures(client);
    const w = readWatch(Service, (signal) => watchKindRpc(client, Service, { resourceVersion: String(b.engine.currentRv) }, signal));
    await waitFor(() => open(b) === 1, PROMPT_MS);
    await sleep(100);
    w.stop();
    await waitFor(() => open(b) === 0, PROMPT_MS);
  });

  test("backend.close() ends open watches promptly and clients see Unavailable", async () => {
    const { b, client } = await start({ bookmarkIntervalMs: 100 }, protocol);
    await seedFixtures(client);
    const plain = readWatch(Service, (signal) => watchKindRpc(client, Service, {}, signal));
    const withBookmarks = readWatch(kind("AddressGroup"), (signal) => watchKindRpc(client, kind("AddressGroup"), { allowBookmarks: true }, signal));
    await plain.until((es) => es.some((e) => e.initialEventsEnd));
    await withBookmarks.until((es) => es.some((e) => e.initialEventsEnd));

    const t0 = Date.now();
    await b.close();
    const closeMs = Date.now() - t0;
    await plain.finished(PROMPT_MS);
    await withBookmarks.finished(PROMPT_MS);
    // the harness's shutdown grace is 500 ms: far below this bound unless close hangs on a watch
    expect(closeMs).toBeLessThan(10_000);
    expect(Date.now() - t0).toBeLessThan(10_000);
    for (const w of [plain, withBookmarks]) {
      const err = ConnectError.from(w.error);
      expect(Code[err.code]).toBe(Code[Code.Unavailable]);
    }
    expect(b.activeWatches.get("Service") ?? 0).toBe(0);
    expect(b.activeWatches.get("AddressGroup") ?? 0).toBe(0);
  });

  test("shutdown ends watches itself: close() does not wait out the grace period for them", async () => {
    // A long grace: streams the server does not end itself would keep close() waiting for all of
    // it before they are destroyed. Ending watches on shutdown makes close() finish long before.
    const GRACE_MS = 20_000;
    const { b, client } = await start({ shutdownGraceMs: GRACE_MS }, protocol);
    await seedFixtures(client);
    const w = readWatch(Service, (signal) => watchKindRpc(client, Service, {}, signal));
    await w.until((es) => es.some((e) => e.initialEventsEnd));
    const t0 = Date.now();
    await b.close();
    await w.finished(PROMPT_MS);
    // half the grace: generous for a loaded machine, yet far from what waiting out the grace takes
    expect(Date.now() - t0).toBeLessThan(GRACE_MS / 2);
    expect(Code[ConnectError.from(w.error).code]).toBe(Code[Code.Unavailable]);
  }, 60_000);
});
