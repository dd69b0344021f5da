/**
 * Batched Watch messages over a real backend (WatchReq.batch, src/backend/rpc/watch-batch.ts): a
 * stream that opts in gets the events that are ready together (a Sync batch, the initial objects,
 * a resume) in few messages, compressed by the transport, that unpack to exactly the events a
 * plain stream gets one per message; a stream that does not opt in is unchanged.
 */
import { describe, expect, test } from "bun:test";
import { Code, ConnectError, createClient, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { NetguardService, SyncOp, type WatchEvent } from "../../src/gen/netguard/v1/service_pb.ts";
import { netguardRegistry } from "../../src/wire/registry.ts";
import { unbatchWatchEvent } from "../../src/wire/watch-batches.ts";
import type { KubeObject } from "../../src/kinds/model.ts";
import { startCountingProxy } from "../helpers/counting-proxy.ts";
import { clientFor } from "../helpers/backend-harness.ts";
import { sample } from "../helpers/fixtures.ts";
import { createObj, watchKindRpc } from "../helpers/rpc-helpers.ts";
import { readWatch } from "../helpers/watch-reader.ts";
import { backendPerTest, kind, sleep, syncReq, watchFrom, type NgClient } from "./rpc-kit.ts";

const start = backendPerTest();
const Service = kind("Service");

/** `n` Services whose description carries `tag`, so every Sync of them is a real change. */
function services(n: number, tag: string): KubeObject[] {
  return Array.from({ length: n }, (_, i) => {
    const o = sample("Service", i).object;
    return { ...o, spec: { ...o.spec, description: `${tag} change of service number ${i}, long enough to look like a real one` } };
  });
}

const upsert = (client: NgClient, objs: KubeObject[]) => client.sync(syncReq(SyncOp.Upsert, Service, objs));

/** Reads a stream recording how many events each message carried. */
function messageSizes(client: NgClient, req: Record<string, unknown>, until: (events: number) => boolean) {
  const ac = new AbortController();
  const sizes: number[] = [];
  const events: WatchEvent[] = [];
  const done = (async () => {
    for await (const m of watchKindRpc(client, Service, req, ac.signal) as AsyncIterable<WatchEvent>) {
      const evs = unbatchWatchEvent(m);
      sizes.push(evs.length);
      events.push(...evs);
      if (until(events.length)) break;
    }
  })().finally(() => ac.abort());
  return { sizes, events, done };
}

describe("batched Watch messages", () => {
  test("a Sync batch reaches an opted-in stream in few messages that unpack to the plain stream's events, in order", async () => {
    const { b, client } = await start();
    await createObj(client, sample("Service", 9999).object);
    const from = b.engine.currentRv;
    const batched = watchFrom(client, Service, from, { batch: true });
    const plain = watchFrom(client, Service, from);
    await upsert(client, services(500, "first"));
    await Promise.all([batched.count(500, 15_000), plain.count(500, 15_000)]);
    const rvs = batched.events.map((e) => e.rv);
    expect(rvs.length).toBe(500);
    expect(rvs.every((rv, i) => rv > (rvs[i - 1] ?? from))).toBe(true); // ordered, no duplicate
    expect(new Set(batched.events.map((e) => e.name)).size).toBe(500); // no gap
    expect(batched.events.map((e) => [e.type, e.rv, e.name, e.object?.spec])).toEqual(plain.events.map((e) => [e.type, e.rv, e.name, e.object?.spec]));
    // the plain stream: one message per event; the batched one: a few (one per event-store read)
    expect(plain.messages).toBe(500);
    expect(batched.messages).toBeLessThanOrEqual(20);
    batched.stop();
    plain.stop();
  }, 30_000);

  test("the initial objects come batched, at most 256 per message, then the end-of-initial-events bookmark", async () => {
    const { client } = await start();
    await upsert(client, services(600, "initial"));
    const r = messageSizes(client, { batch: true }, (n) => n >= 601);
    await r.done;
    expect(r.sizes).toEqual([256, 256, 88, 1]);
    expect(r.events.slice(0, 600).every((e) => e.type === 0 && e.resource)).toBe(true);
    expect(r.events[600]!.initialEventsEnd).toBe(true);
    // the same watch without batch: one message per event
    const plain = messageSizes(client, {}, (n) => n >= 601);
    await plain.done;
    expect(plain.sizes.length).toBe(601);
    expect(plain.events.map((e) => e.resourceVersion)).toEqual(r.events.map((e) => e.resourceVersion));
  }, 30_000);

  test("a change alone is sent as the event itself, never wrapped", async () => {
    const { b, client } = await start();
    await createObj(client, sample("Service", 1).object);
    const r = messageSizes(client, { resourceVersion: String(b.engine.currentRv), batch: true }, (n) => n >= 2);
    await createObj(client, sample("Service", 2).object);
    await createObj(client, sample("Service", 3).object);
    await r.done;
    expect(r.sizes).toEqual([1, 1]);
  });

  test("an expired position still ends with an ERROR event, then OUT_OF_RANGE", async () => {
    const { b, client } = await start({ retention: { maxEvents: 3, maxAgeMs: 0 }, ringCapacity: 2 });
    for (let i = 1; i <= 6; i++) await createObj(client, sample("Service", i).object);
    await b.engine.trimNow();
    const w = readWatch(Service, (signal) => watchKindRpc(client, Service, { resourceVersion: "1", batch: true }, signal));
    await w.finished();
    expect(w.events.map((e) => e.type)).toEqual(["ERROR"]);
    expect(w.events[0]!.error).toContain("too old resource version");
    expect(ConnectError.from(w.error).code).toBe(Code.OutOfRange);
  });

  test("a JSON stream that opts in gets the same events (batches are plain nested messages)", async () => {
    const { b, client } = await start();
    await createObj(client, sample("Service", 9999).object);
    const json = createClient(NetguardService, createConnectTransport({ baseUrl: b.url, httpVersion: "1.1", useBinaryFormat: false, jsonOptions: { registry: netguardRegistry } }));
    const from = b.engine.currentRv;
    const w = watchFrom(json, Service, from, { batch: true });
    const plain = watchFrom(client, Service, from);
    await upsert(client, services(100, "json"));
    await Promise.all([w.count(100, 15_000), plain.count(100, 15_000)]);
    expect(w.events.map((e) => [e.type, e.rv, e.object?.spec])).toEqual(plain.events.map((e) => [e.type, e.rv, e.object?.spec]));
    expect(w.messages).toBeLessThan(10);
    w.stop();
    plain.stop();
  }, 30_000);

  test("batches are gzip-compressed on the wire: a 500-change Sync costs a fraction of 500 single events", async () => {
    const { b, client } = await start();
    await createObj(client, sample("Service", 9999).object);
    const port = Number(new URL(b.url).port);
    const encodings: string[] = [];
    const seeEncoding: Interceptor = (next) => async (req) => {
      const res = await next(req);
      encodings.push(res.header.get("grpc-encoding") ?? "identity");
      return res;
    };
    const bytesPerEvent: Record<string, number> = {};
    for (const [label, batch] of [["batched", true], ["plain", false]] as const) {
      const proxy = await startCountingProxy(port);
      try {
        const viaProxy = createClient(NetguardService, createGrpcTransport({ baseUrl: `http://127.0.0.1:${proxy.port}`, interceptors: [seeEncoding] }));
        const w = watchFrom(viaProxy, Service, b.engine.currentRv, { batch });
        while ((b.activeWatches.get("Service") ?? 0) === 0) await sleep(10);
        await sleep(50);
        const before = proxy.counts();
        await upsert(client, services(500, label));
        await w.count(500, 15_000);
        const after = proxy.counts();
        bytesPerEvent[label] = (after.down + after.up - before.down - before.up) / 500;
        w.stop();
        while ((b.activeWatches.get("Service") ?? 0) > 0) await sleep(10);
      } finally {
        await proxy.close();
      }
    }
    expect(encodings[0]).toBe("gzip");
    // measured here: ~43 B per event batched, ~390 B plain (the system bench's "388 B in bursts")
    expect(bytesPerEvent.batched!).toBeLessThan(100);
    expect(bytesPerEvent.plain!).toBeGreaterThan(4 * bytesPerEvent.batched!);
  }, 60_000);
});
