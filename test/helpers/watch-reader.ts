/**
 * Reads a Watch stream in the background so tests can wait for the events they expect. Batched
 * messages (WatchReq.batch) are unpacked into their events; `messages` counts what crossed the wire.
 */
import { anyUnpack } from "@bufbuild/protobuf/wkt";
import { fromProto } from "../../src/kinds/convert.ts";
import type { KindDescriptor } from "../../src/kinds/kind-table.ts";
import type { KubeObject } from "../../src/kinds/model.ts";
import { netguardRegistry } from "../../src/wire/registry.ts";
import { unbatchWatchEvent } from "../../src/wire/watch-batches.ts";
import { WatchEvent_EventType, type WatchEvent } from "../../src/gen/netguard/v1/service_pb.ts";

export interface SeenEvent {
  type: string;
  rv: number;
  name: string;
  object?: KubeObject;
  initialEventsEnd: boolean;
  error?: string;
}

export interface WatchReader {
  readonly events: SeenEvent[];
  /** Set when the stream ended with an error. */
  readonly error: unknown;
  readonly done: boolean;
  /** Stream messages received (a batched message counts once, however many events it holds). */
  readonly messages: number;
  /** Waits until `pred` holds over the collected events. */
  until(pred: (events: SeenEvent[]) => boolean, timeoutMs?: number): Promise<SeenEvent[]>;
  /** Waits until at least n events (bookmarks excluded unless asked) have arrived. */
  count(n: number, timeoutMs?: number): Promise<SeenEvent[]>;
  finished(timeoutMs?: number): Promise<void>;
  stop(): void;
}

export function decodeEvent(kind: KindDescriptor, e: WatchEvent): SeenEvent {
  const seen: SeenEvent = {
    type: WatchEvent_EventType[e.type]!,
    rv: Number(e.resourceVersion),
    name: "",
    initialEventsEnd: e.initialEventsEnd,
  };
  if (e.errorMessage) seen.error = e.errorMessage;
  if (e.resource) {
    const msg = anyUnpack(e.resource, netguardRegistry);
    if (msg) {
      seen.object = fromProto(kind, msg);
      seen.name = seen.object.metadata.name;
    }
  }
  return seen;
}

export function readWatch(
  kind: KindDescriptor,
  open: (signal: AbortSignal) => AsyncIterable<WatchEvent>,
  opts: { includeBookmarks?: boolean } = {},
): WatchReader {
  const ac = new AbortController();
  const events: SeenEvent[] = [];
  let error: unknown;
  let done = false;
  let messages = 0;
  let notify: () => void = () => undefined;
  const loop = (async () => {
    try {
      for await (const message of open(ac.signal)) {
        messages++;
        for (const e of unbatchWatchEvent(message)) {
          const seen = decodeEvent(kind, e);
          if (seen.type === "BOOKMARK" && !opts.includeBookmarks && !seen.initialEventsEnd) continue;
          events.push(seen);
        }
        notify();
      }
    } catch (e) {
      if (!ac.signal.aborted) error = e;
    } finally {
      done = true;
      notify();
    }
  })();
  const have = () => `have ${JSON.stringify(events.map((e) => [e.type, e.rv, e.name]))}, error ${String(error)}`;
  const waitFor = async (pred: () => boolean, timeoutMs: number, what: string, untilDone = false) => {
    const deadline = Date.now() + timeoutMs;
    while (!pred()) {
      // an ended stream brings nothing more: fail now, with what it saw and why it ended
      if (done && untilDone) throw new Error(`stream ended before ${what}; ${have()}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; ${have()}`);
      await new Promise<void>((resolve) => {
        notify = resolve;
        setTimeout(resolve, 50);
      });
    }
  };
  return {
    events,
    get error() {
      return error;
    },
    get done() {
      return done;
    },
    get messages() {
      return messages;
    },
    async until(pred, timeoutMs = 5000) {
      await waitFor(() => pred(events), timeoutMs, "condition", true);
      return events;
    },
    async count(n, timeoutMs = 5000) {
      await waitFor(() => events.length >= n || done, timeoutMs, `${n} events`);
      return events;
    },
    async finished(timeoutMs = 5000) {
      await waitFor(() => done, timeoutMs, "end of stream");
      await loop;
    },
    stop() {
      ac.abort();
    },
  };
}
