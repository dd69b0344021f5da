/**
 * Encode-once for Watch streams: a change that reaches several backend Watch streams (several API
 * servers, or the workers of one, each hold their own stream per kind) is turned into WatchEvent
 * wire bytes once, not once per stream.
 *
 * Connect serializes every message a handler yields and has no way to send bytes that are already
 * serialized; protobuf-es, though, writes a message's unknown fields verbatim. So the shared message
 * is an empty WatchEvent whose `$unknown` holds the encoded fields: encoding it again per stream is a
 * copy of those bytes. Unknown fields are not written as JSON, so only binary codecs may get it
 * (`binaryCodec`); a JSON stream gets the ordinary message.
 *
 * Cached per stored event (live changes) or per stored object (snapshot items) and per event type
 * (one change can be ADDED for one selector and MODIFIED for another); both are immutable and the
 * caches are weak, so an entry lives as long as the change it encodes.
 */
import { create, toBinary } from "@bufbuild/protobuf";
import { BinaryReader } from "@bufbuild/protobuf/wire";
import { WatchEventSchema, type WatchEvent } from "../../gen/netguard/v1/service_pb.ts";
import type { WatchItem } from "../engine/mod.ts";

type ObjectItem = Extract<WatchItem, { object: unknown }>;

const byEvent = new WeakMap<object, Partial<Record<ObjectItem["type"], WatchEvent>>>();
const byObject = new WeakMap<object, Partial<Record<ObjectItem["type"], WatchEvent>>>();
/** Encoded size of each shared message, known when it was made (batching bounds read it). */
const sizes = new WeakMap<WatchEvent, number>();

/** Whether a request's content type selects a binary codec (gRPC, gRPC-Web, Connect with +proto). */
export function binaryCodec(contentType: string | null): boolean {
  return !/json/i.test(contentType ?? "");
}

/** `ev` as an empty WatchEvent carrying its own encoding as unknown fields (see the file comment). */
export function preEncoded(ev: WatchEvent): WatchEvent {
  const bytes = toBinary(WatchEventSchema, ev);
  const reader = new BinaryReader(bytes);
  const unknown: { no: number; wireType: number; data: Uint8Array }[] = [];
  while (reader.pos < reader.len) {
    const [no, wireType] = reader.tag();
    unknown.push({ no, wireType, data: reader.skip(wireType, no) });
  }
  const shared = create(WatchEventSchema);
  shared.$unknown = unknown;
  sizes.set(shared, bytes.length);
  return shared;
}

/**
 * The encoded size of `ev` in bytes: free for a shared message (remembered by `preEncoded`), an
 * encoding otherwise (bookmarks, errors, JSON streams' events).
 */
export function encodedSize(ev: WatchEvent): number {
  return sizes.get(ev) ?? toBinary(WatchEventSchema, ev).length;
}

/**
 * The WatchEvent of `item`, encoded once and shared by every binary stream that yields the same
 * change; bookmarks and errors (per-stream content) are built by `build` every time.
 */
export function sharedWatchEvent(item: WatchItem, build: (item: WatchItem) => WatchEvent): WatchEvent {
  if (item.type === "BOOKMARK" || item.type === "ERROR") return build(item);
  const cache = item.event ? byEvent : byObject;
  const key: object = item.event ?? item.object;
  let entry = cache.get(key);
  if (!entry) {
    entry = {};
    cache.set(key, entry);
  }
  return (entry[item.type] ??= preEncoded(build(item)));
}
