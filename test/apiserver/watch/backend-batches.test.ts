/**
 * The API server's backend Watch streams ask for batched messages (WatchReq.batch) and unpack them
 * (src/apiserver/backend-client.ts): a Sync burst reaches the stream sources and catch-up streams
 * one event at a time, in order, while crossing the wire in a few gzip-compressed messages — the
 * hop the system bench measures as "wire bytes per event when events batch".
 */
import { afterEach, describe, expect, test } from "bun:test";
import { createBackendClient, type BackendClient, type BackendWatchEvent } from "../../../src/apiserver/backend-client.ts";
import type { Backend } from "../../../src/backend/backend.ts";
import { SyncOp } from "../../../src/gen/netguard/v1/service_pb.ts";
import { kindByName } from "../../../src/kinds/kind-table.ts";
import type { KubeObject } from "../../../src/kinds/model.ts";
import { startCountingProxy, type CountingProxy } from "../../helpers/counting-proxy.ts";
import { clientFor, startTestBackend } from "../../helpers/backend-harness.ts";
import { sample } from "../../helpers/fixtures.ts";
import { syncReq } from "../../rpc/rpc-kit.ts";

const Service = kindByName("Service")!;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function services(n: number, tag: string): KubeObject[] {
  return Array.from({ length: n }, (_, i) => {
    const o = sample("Service", i).object;
    return { ...o, spec: { ...o.spec, description: `${tag} change of service number ${i}, long enough to look like a real one` } };
  });
}

async function stack(): Promise<{ b: Backend; proxy: CountingProxy; api: BackendClient }> {
  const b = await startTestBackend();
  cleanups.push(() => b.close());
  const proxy = await startCountingProxy(Number(new URL(b.url).port));
  cleanups.push(() => proxy.close());
  const api = createBackendClient(`127.0.0.1:${proxy.port}`);
  cleanups.push(() => api.close());
  return { b, proxy, api };
}

/** Reads `kind`'s watch until `enough` holds over the events. */
function collect(api: BackendClient, req: Parameters<BackendClient["watch"]>[1], enough: (es: BackendWatchEvent[]) => boolean) {
  const ac = new AbortController();
  cleanups.push(() => ac.abort());
  const events: BackendWatchEvent[] = [];
  const done = (async () => {
    for await (const ev of api.watch(Service, req, ac.signal)) {
      events.push(ev);
      if (enough(events)) return events;
    }
    return events;
  })();
  return { events, done };
}

describe("backend Watch batches through the API server's client", () => {
  test("a 500-change Sync arrives one event at a time, in order, without gap or duplicate, at a fraction of the plain bytes", async () => {
    const { b, proxy, api } = await stack();
    const writer = clientFor(b.url);
    await writer.sync(syncReq(SyncOp.Upsert, Service, services(1, "seed")));
    const from = b.engine.currentRv;
    const changes = (es: BackendWatchEvent[]) => es.filter((e) => e.type !== "BOOKMARK");
    const w = collect(api, { resourceVersion: String(from), allowBookmarks: true }, (es) => changes(es).length >= 500);
    while ((b.activeWatches.get("Service") ?? 0) === 0) await Bun.sleep(10);
    await Bun.sleep(50);
    const before = proxy.counts();
    await writer.sync(syncReq(SyncOp.Upsert, Service, services(500, "burst")));
    const got = changes(await w.done);
    const after = proxy.counts();
    expect(got.length).toBe(500);
    const rvs = got.map((e) => Number(e.resourceVersion));
    expect(rvs.every((rv, i) => rv > (rvs[i - 1] ?? from))).toBe(true);
    expect(new Set(got.map((e) => e.object!.metadata.name)).size).toBe(500);
    expect(got.every((e) => e.type === "MODIFIED" || e.type === "ADDED")).toBe(true);
    expect(got.at(-1)!.object!.spec).toEqual(services(500, "burst").at(-1)!.spec);
    // ~43 B per event measured here (gzip over batches); one event per message costs ~390 B
    const perEvent = (after.down + after.up - before.down - before.up) / 500;
    expect(perEvent).toBeLessThan(100);
  }, 30_000);

  test("a snapshot watch unpacks the initial objects, then the end-of-initial-events bookmark", async () => {
    const { b, api } = await stack();
    await clientFor(b.url).sync(syncReq(SyncOp.Upsert, Service, services(300, "initial")));
    const w = collect(api, { resourceVersion: "" }, (es) => es.some((e) => e.initialEventsEnd));
    const got = await w.done;
    expect(got.length).toBe(301);
    expect(got.slice(0, 300).every((e) => e.type === "ADDED" && e.object)).toBe(true);
    expect(new Set(got.slice(0, 300).map((e) => e.object!.metadata.name)).size).toBe(300);
    expect(got[300]!.type).toBe("BOOKMARK");
    expect(Number(got[300]!.resourceVersion)).toBe(b.engine.currentRv);
  }, 30_000);
});
