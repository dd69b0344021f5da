/**
 * Batched Watch messages (WatchReq.batch): events that are ready together go out as one
 * WatchEvent whose `events` holds them, so the transport compresses them as one message.
 *
 * Connect (like gRPC) compresses per message and only from 1 KiB on, so a Sync of 500 changes sent
 * as 500 messages of ~400 bytes is never compressed; the same changes in a few messages of up to
 * 256 events each are. The bounds keep every message far below what receivers accept by default
 * (gRPC's 4 MiB): a batch closes at MAX_BATCH_EVENTS events or MAX_BATCH_BYTES of encoded events,
 * and an event larger than the byte bound goes alone. A run of one event is sent as the event
 * itself, so a stream that opted in looks like any other while changes trickle in one by one.
 */
import { create } from "@bufbuild/protobuf";
import { WatchEventSchema, type WatchEvent } from "../../gen/netguard/v1/service_pb.ts";

/** Most events one batched message carries. */
export const MAX_BATCH_EVENTS = 256;
/** Most bytes of encoded events one batched message carries (a larger event goes alone). */
export const MAX_BATCH_BYTES = 1024 * 1024;

export interface BatchLimits {
  maxEvents: number;
  maxBytes: number;
}

const DEFAULT_LIMITS: BatchLimits = { maxEvents: MAX_BATCH_EVENTS, maxBytes: MAX_BATCH_BYTES };

/** Bytes an event of `size` adds to the batch message: field 7's tag, the length, the event. */
function entryBytes(size: number): number {
  let lengthBytes = 1;
  for (let n = size; n >= 0x80; n = Math.floor(n / 0x80)) lengthBytes++;
  return 1 + lengthBytes + size;
}

const batchOf = (events: WatchEvent[]): WatchEvent => (events.length === 1 ? events[0]! : create(WatchEventSchema, { events }));

/**
 * The messages carrying `items` (a group that became ready together) in order, each within
 * `limits`. Items are turned into events (`toEvent`) only as the messages are taken, so a large
 * group (the initial objects) is not encoded all at once; `sizeOf` gives an event's encoded size.
 */
export function* packWatchEvents<T>(
  items: readonly T[],
  toEvent: (item: T) => WatchEvent,
  sizeOf: (ev: WatchEvent) => number,
  limits: BatchLimits = DEFAULT_LIMITS,
): Generator<WatchEvent> {
  if (items.length === 1) {
    yield toEvent(items[0]!);
    return;
  }
  const maxEvents = Math.max(1, limits.maxEvents);
  let run: WatchEvent[] = [];
  let bytes = 0;
  for (const item of items) {
    const ev = toEvent(item);
    const add = entryBytes(sizeOf(ev));
    if (run.length && (run.length >= maxEvents || bytes + add > limits.maxBytes)) {
      yield batchOf(run);
      run = [];
      bytes = 0;
    }
    run.push(ev);
    bytes += add;
  }
  if (run.length) yield batchOf(run);
}
