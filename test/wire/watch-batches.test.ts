/** Unpacking batched Watch messages (src/wire/watch-batches.ts) on the receiving side. */
import { describe, expect, test } from "bun:test";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { WatchEvent_EventType, WatchEventSchema } from "../../src/gen/netguard/v1/service_pb.ts";
import { unbatchWatchEvent } from "../../src/wire/watch-batches.ts";

const ev = (rv: number) => create(WatchEventSchema, { type: WatchEvent_EventType.ADDED, resourceVersion: String(rv) });

describe("unbatchWatchEvent", () => {
  test("a message without events is one event", () => {
    const e = ev(1);
    expect(unbatchWatchEvent(e)).toEqual([e]);
  });

  test("a batch stands for its events, in order", () => {
    const events = [ev(1), ev(2), ev(3)];
    expect(unbatchWatchEvent(create(WatchEventSchema, { events })).map((e) => e.resourceVersion)).toEqual(["1", "2", "3"]);
  });

  test("a batch inside a batch is refused, not flattened", () => {
    const nested = create(WatchEventSchema, { events: [ev(1), create(WatchEventSchema, { events: [ev(2)] })] });
    let err: unknown;
    try {
      unbatchWatchEvent(nested);
    } catch (e) {
      err = e;
    }
    expect(ConnectError.from(err).code).toBe(Code.Internal);
  });
});
