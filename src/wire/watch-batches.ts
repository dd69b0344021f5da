/**
 * The receiving side of batched Watch messages (WatchReq.batch, see the .proto): a message whose
 * `events` is set stands for those events in order; any other message is one event. Batches are
 * one level deep; a nested one is a broken peer, refused rather than guessed at, so a consumer
 * never applies events in an order the server did not send.
 */
import { Code, ConnectError } from "@connectrpc/connect";
import type { WatchEvent } from "../gen/netguard/v1/service_pb.ts";

/** The events `message` carries, in stream order (itself when it is not a batch). */
export function unbatchWatchEvent(message: WatchEvent): readonly WatchEvent[] {
  if (message.events.length === 0) return [message];
  for (const ev of message.events) {
    if (ev.events.length) throw new ConnectError("watch batch inside a watch batch: the peer breaks WatchEvent.events", Code.Internal);
  }
  return message.events;
}
