/**
 * A Connect watch on Services that records the wall-clock receipt time of every resourceVersion
 * it sees: the receiving end of the cross-replica latency measurement.
 */
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { NetguardService, WatchEvent_EventType } from "../../src/gen/netguard/v1/service_pb.ts";
import { wallMs } from "../system/latency.ts";

export interface RvWatch {
  /** resourceVersion → receipt time (wallMs). */
  seen: Map<number, number>;
  stop(): void;
}

/** Opens a Watch from the backend's current state and resolves once the initial BOOKMARK came. */
export async function openRvWatch(port: number): Promise<RvWatch> {
  const client = createClient(NetguardService, createGrpcTransport({ baseUrl: `http://127.0.0.1:${port}` }));
  const ac = new AbortController();
  const seen = new Map<number, number>();
  let ready!: () => void;
  const started = new Promise<void>((r) => (ready = r));
  void (async () => {
    try {
      for await (const e of client.watchServices({ sendInitialEvents: true, allowBookmarks: true }, { signal: ac.signal })) {
        if (e.type === WatchEvent_EventType.BOOKMARK) {
          if (e.initialEventsEnd) ready();
          continue;
        }
        seen.set(Number(e.resourceVersion), wallMs());
      }
    } catch {
      // aborted at stop()
    }
  })();
  await started;
  return { seen, stop: () => ac.abort() };
}
