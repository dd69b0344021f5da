/**
 * No gap, no duplicate over the wire: a Watch client that stops reading while far more than the
 * backend's ring is written falls behind the ring, is served from the durable log, rejoins the
 * ring and continues live — and sees every change exactly once, in order
 * (src/backend/event-store/event-store.ts `read`).
 */
import { expect, test } from "bun:test";
import type { WatchEvent } from "../../src/gen/netguard/v1/service_pb.ts";
import { WatchEvent_EventType } from "../../src/gen/netguard/v1/service_pb.ts";
import { sample } from "../helpers/fixtures.ts";
import { createObj, relabel, updateObj, watchKindRpc } from "../helpers/rpc-helpers.ts";
import { backendPerTest, kind } from "./rpc-kit.ts";

const start = backendPerTest();
const RING = 4;
const WRITES = 1500; // far more than the ring and the HTTP/2 flow-control windows hold

test("a Watch client that stopped reading is caught up from the log, rejoins the ring and sees every change exactly once", async () => {
  const { b, client } = await start({ ringCapacity: RING });
  const k = kind("AddressGroup");
  let obj = await createObj(client, sample("AddressGroup", 1).object);
  const from = b.engine.currentRv;
  const ac = new AbortController();
  const events: AsyncIterable<WatchEvent> = watchKindRpc(client, k, { resourceVersion: String(from) }, ac.signal);
  const it = events[Symbol.asyncIterator]();
  const want: number[] = [];
  const write = async (label: string) => {
    obj = await updateObj(client, relabel(obj, label));
    want.push(Number(obj.metadata.resourceVersion));
  };
  const got: number[] = [];
  const read = async (n: number) => {
    while (got.length < n) {
      const r = await it.next();
      if (r.done) throw new Error(`stream ended after ${got.length} events`);
      const e = r.value;
      if (e.type === WatchEvent_EventType.BOOKMARK) continue;
      got.push(Number(e.resourceVersion));
    }
  };
  // The stream is open and the client has read the first change live, from the ring...
  await write("first");
  await read(1);
  // ...then it stops reading while many more are written: its cursor in the ring is lapped.
  for (let i = 0; i < WRITES; i++) await write(`v${i}`);
  await read(WRITES + 1);
  expect(b.engine.events.stats.lapped).toBeGreaterThan(0);
  expect(b.engine.events.stats.logReads).toBeGreaterThan(0);
  // back in the ring: later changes arrive live, right after the last one from the log
  await write("live");
  await read(WRITES + 2);
  expect(got).toEqual(want);
  ac.abort();
}, 60_000);
