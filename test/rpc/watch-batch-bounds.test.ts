/**
 * The bounds of one batched Watch message (src/backend/rpc/watch-batch.ts): at most 256 events and
 * 1 MiB of encoded events, an oversized event alone, a lone event unwrapped, order kept, and the
 * shared pre-encoded events reused as they are (encode-once survives batching).
 */
import { describe, expect, test } from "bun:test";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { MAX_BATCH_BYTES, MAX_BATCH_EVENTS, packWatchEvents } from "../../src/backend/rpc/watch-batch.ts";
import { encodedSize, preEncoded } from "../../src/backend/rpc/shared-watch-event.ts";
import { WatchEvent_EventType, WatchEventSchema, type WatchEvent } from "../../src/gen/netguard/v1/service_pb.ts";
import { unbatchWatchEvent } from "../../src/wire/watch-batches.ts";

/** An event of about `bytes` encoded bytes (the size sits in error_message: any field would do). */
function eventOf(rv: number, bytes = 40): WatchEvent {
  return create(WatchEventSchema, { type: WatchEvent_EventType.MODIFIED, resourceVersion: String(rv), errorMessage: "x".repeat(bytes) });
}

const rvs = (messages: WatchEvent[]) => messages.flatMap((m) => unbatchWatchEvent(m).map((e) => Number(e.resourceVersion)));

describe("watch batch bounds", () => {
  test("the bounds are 256 events and 1 MiB", () => {
    expect(MAX_BATCH_EVENTS).toBe(256);
    expect(MAX_BATCH_BYTES).toBe(1024 * 1024);
  });

  test("many small events: full batches of 256, then the rest, in order", () => {
    const items = Array.from({ length: 600 }, (_, i) => i + 1);
    const out = [...packWatchEvents(items, (i) => eventOf(i), encodedSize)];
    expect(out.map((m) => m.events.length)).toEqual([256, 256, 88]);
    expect(rvs(out)).toEqual(items);
  });

  test("large events: a batch closes before its encoded events pass 1 MiB, and a larger event goes alone", () => {
    const big = 300 * 1024;
    const items = [1, 2, 3, 4, 5, 6, 7];
    const sizes: Record<number, number> = { 5: 2 * 1024 * 1024 };
    const out = [...packWatchEvents(items, (i) => eventOf(i, sizes[i] ?? big), encodedSize)];
    // 3 × 300 KiB fit under 1 MiB, a fourth would not; the 2 MiB event is a message of its own
    expect(out.map((m) => unbatchWatchEvent(m).length)).toEqual([3, 1, 1, 2]);
    expect(out[2]!.events.length).toBe(0); // alone: the event itself, not a batch of one
    for (const m of out) if (m.events.length) expect(toBinary(WatchEventSchema, m).length).toBeLessThanOrEqual(MAX_BATCH_BYTES);
    expect(rvs(out)).toEqual(items);
  });

  test("custom bounds are honoured and a bound below one event still sends every event", () => {
    const items = Array.from({ length: 10 }, (_, i) => i + 1);
    expect([...packWatchEvents(items, (i) => eventOf(i), encodedSize, { maxEvents: 4, maxBytes: 1 << 20 })].map((m) => unbatchWatchEvent(m).length)).toEqual([4, 4, 2]);
    const tiny = [...packWatchEvents(items, (i) => eventOf(i), encodedSize, { maxEvents: 0, maxBytes: 1 })];
    expect(tiny.map((m) => m.events.length)).toEqual(Array(10).fill(0));
    expect(rvs(tiny)).toEqual(items);
  });

  test("a group of one event is the event itself", () => {
    const ev = eventOf(7);
    expect([...packWatchEvents([7], () => ev, encodedSize)]).toEqual([ev]);
  });

  test("a batch holds the shared pre-encoded events themselves, and its bytes decode to the ordinary events", () => {
    const ordinary = [1, 2, 3].map((i) => eventOf(i));
    const shared = ordinary.map(preEncoded);
    const [batch] = [...packWatchEvents([0, 1, 2], (i) => shared[i]!, encodedSize)];
    expect(batch!.events.length).toBe(3);
    batch!.events.forEach((e, i) => expect(e).toBe(shared[i]!));
    for (const [i, s] of shared.entries()) expect(encodedSize(s)).toBe(toBinary(WatchEventSchema, ordinary[i]!).length);
    const decoded = fromBinary(WatchEventSchema, toBinary(WatchEventSchema, batch!));
    expect(decoded.events.map((e) => toBinary(WatchEventSchema, e))).toEqual(ordinary.map((e) => toBinary(WatchEventSchema, e)));
  });

  test("items become events only as messages are taken", () => {
    const made: number[] = [];
    const it = packWatchEvents(Array.from({ length: 600 }, (_, i) => i), (i) => (made.push(i), eventOf(i)), encodedSize);
    it.next();
    expect(made.length).toBeLessThanOrEqual(MAX_BATCH_EVENTS + 1);
  });
});
