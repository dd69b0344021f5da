/**
 * Encode-once for backend Watch streams (src/backend/rpc/shared-watch-event.ts): every binary
 * stream that carries a change yields one shared, pre-encoded message whose bytes are the ordinary
 * event's; JSON streams, which cannot carry pre-encoded bytes, still get whole events.
 */
import { describe, expect, test } from "bun:test";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { binaryCodec, preEncoded, sharedWatchEvent } from "../../src/backend/rpc/shared-watch-event.ts";
import type { WatchItem } from "../../src/backend/engine/mod.ts";
import { anyOf } from "../../src/backend/rpc/resource-codec.ts";
import { NetguardService, WatchEvent_EventType, WatchEventSchema, type WatchEvent } from "../../src/gen/netguard/v1/service_pb.ts";
import { netguardRegistry } from "../../src/wire/registry.ts";
import { clientFor } from "../helpers/backend-harness.ts";
import { sample } from "../helpers/fixtures.ts";
import { createObj, relabel, updateObj, watchKindRpc } from "../helpers/rpc-helpers.ts";
import { readWatch } from "../helpers/watch-reader.ts";
import { backendPerTest, kind } from "./rpc-kit.ts";

const start = backendPerTest();
const Service = kind("Service");

function ordinary(item: WatchItem): WatchEvent {
  if (item.type === "BOOKMARK") return create(WatchEventSchema, { type: WatchEvent_EventType.BOOKMARK, resourceVersion: String(item.rv) });
  if (item.type === "ERROR") return create(WatchEventSchema, { type: WatchEvent_EventType.ERROR, errorMessage: item.message });
  return create(WatchEventSchema, {
    type: WatchEvent_EventType[item.type],
    resource: anyOf(Service, item.object),
    resourceVersion: String(item.rv),
    commitTime: item.event ? timestampFromMs(item.event.time) : undefined,
  });
}

describe("shared watch events", () => {
  test("one change is encoded once per event type and its bytes are the ordinary event's", () => {
    const object = { ...sample("Service", 1).object, metadata: { ...sample("Service", 1).object.metadata, resourceVersion: "7" } };
    const event = { time: 1_700_000_000_123 } as NonNullable<Extract<WatchItem, { object: unknown }>["event"]>;
    const modified: WatchItem = { type: "MODIFIED", object, rv: 7, event };
    const first = sharedWatchEvent(modified, ordinary);
    expect(sharedWatchEvent({ ...modified }, ordinary)).toBe(first);
    expect(toBinary(WatchEventSchema, first)).toEqual(toBinary(WatchEventSchema, ordinary(modified)));
    expect(fromBinary(WatchEventSchema, toBinary(WatchEventSchema, first)).resourceVersion).toBe("7");
    // the same change entering a selector is an ADDED for that stream: its own encoding
    const added = sharedWatchEvent({ ...modified, type: "ADDED" }, ordinary);
    expect(added).not.toBe(first);
    expect(fromBinary(WatchEventSchema, toBinary(WatchEventSchema, added)).type).toBe(WatchEvent_EventType.ADDED);
    // bookmarks carry per-stream positions: never shared
    const bookmark: WatchItem = { type: "BOOKMARK", rv: 9, initialEventsEnd: false };
    expect(sharedWatchEvent(bookmark, ordinary)).not.toBe(sharedWatchEvent(bookmark, ordinary));
    expect(toBinary(WatchEventSchema, preEncoded(ordinary(bookmark)))).toEqual(toBinary(WatchEventSchema, ordinary(bookmark)));
  });

  test("binary codecs are gRPC, gRPC-Web and Connect +proto; JSON content types are not", () => {
    for (const ct of ["application/grpc", "application/grpc+proto", "application/grpc-web+proto", "application/connect+proto", "application/proto"]) expect(binaryCodec(ct)).toBe(true);
    for (const ct of ["application/grpc+json", "application/grpc-web+json", "application/connect+json", "application/json", "APPLICATION/JSON; charset=utf-8"]) expect(binaryCodec(ct)).toBe(false);
  });

  test("binary and JSON Watch streams over the wire see the same snapshot and changes", async () => {
    const { b } = await start();
    const grpc = clientFor(b.url, "grpc");
    const json = createClient(NetguardService, createConnectTransport({ baseUrl: b.url, httpVersion: "1.1", useBinaryFormat: false, jsonOptions: { registry: netguardRegistry } }));
    const before = await createObj(grpc, sample("Service", 1).object);
    const open = (client: typeof grpc, labelSelector = "") => readWatch(Service, (signal) => watchKindRpc(client, Service, { labelSelector }, signal));
    const watches = [open(grpc), open(grpc), open(clientFor(b.url, "grpcweb")), open(json), open(grpc, "tier=x0"), open(json, "tier=x0")];
    for (const w of watches) await w.until((es) => es.some((e) => e.initialEventsEnd));
    let cur = before;
    for (const tier of ["x0", "x1", "x0"]) cur = await updateObj(grpc, relabelTier(cur, tier));
    const all = await Promise.all(watches.slice(0, 4).map((w) => w.until((es) => es.filter((e) => e.type === "MODIFIED").length === 3)));
    const selected = await Promise.all(watches.slice(4).map((w) => w.until((es) => es.filter((e) => e.name === cur.metadata.name && e.rv > Number(before.metadata.resourceVersion)).length === 3)));
    const shape = (es: typeof all[number]) => es.map((e) => [e.type, e.rv, e.object?.metadata.labels, e.object?.spec]);
    for (const es of all.slice(1)) expect(shape(es)).toEqual(shape(all[0]!));
    expect(shape(selected[1]!)).toEqual(shape(selected[0]!));
    expect(selected[0]!.filter((e) => e.rv > Number(before.metadata.resourceVersion)).map((e) => e.type)).toEqual(["ADDED", "DELETED", "ADDED"]);
    for (const w of watches) w.stop();
  });
});

function relabelTier(obj: Parameters<typeof relabel>[0], tier: string) {
  return { ...obj, metadata: { ...obj.metadata, labels: { ...obj.metadata.labels, tier } } };
}
