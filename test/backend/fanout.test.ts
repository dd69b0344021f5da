import { afterAll, beforeAll, expect, test } from "bun:test";
import { kindByName } from "../../src/kinds/kind-table.ts";
import type { Backend } from "../../src/backend/backend.ts";
import { clientFor, startTestBackend } from "../helpers/backend-harness.ts";
import { sample } from "../helpers/fixtures.ts";
import { createObj, watchKindRpc } from "../helpers/rpc-helpers.ts";
import { readWatch, type WatchReader } from "../helpers/watch-reader.ts";

let backend: Backend;
beforeAll(async () => {
  backend = await startTestBackend({ ringCapacity: 64 });
});
afterAll(async () => {
  await backend.close();
});

test("1,000 concurrent subscribers on one kind all receive every event in order", async () => {
  const kind = kindByName("Service")!;
  const client = clientFor(backend.url);
  const start = String(backend.engine.currentRv || 0);
  const readers: WatchReader[] = [];
  for (let i = 0; i < 1000; i++) {
    readers.push(readWatch(kind, (signal) => watchKindRpc(client, kind, { resourceVersion: start === "0" ? "" : start }, signal)));
  }
  // every subscriber has its snapshot marker before the writes start
  await Promise.all(readers.map((r) => r.until((es) => es.some((e) => e.initialEventsEnd), 30_000)));
  const written: number[] = [];
  for (let i = 0; i < 100; i++) {
    const o = await createObj(client, sample("Service", 5000 + i).object);
    written.push(Number(o.metadata.resourceVersion));
  }
  await Promise.all(readers.map((r) => r.until((es) => es.filter((e) => e.type === "ADDED" && e.rv >= written[0]!).length >= 100, 60_000)));
  for (const r of readers) {
    const got = r.events.filter((e) => !e.initialEventsEnd && e.rv >= written[0]!).map((e) => e.rv);
    expect(got).toEqual(written);
  }
  for (const r of readers) r.stop();
}, 120_000);
