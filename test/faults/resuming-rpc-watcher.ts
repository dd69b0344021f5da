/**
 * A backend Watch RPC client that survives faults: it starts with a snapshot watch, and after any
 * break resumes from the last resourceVersion it saw (event or bookmark); OUT_OF_RANGE or an ERROR
 * event makes it take a fresh snapshot. Everything it sees goes through a WatchTracker.
 */
import { Code, ConnectError } from "@connectrpc/connect";
import type { KindDescriptor } from "../../src/kinds/kind-table.ts";
import { watchKindRpc } from "../helpers/rpc-helpers.ts";
import { decodeEvent } from "../helpers/watch-reader.ts";
import type { NgClient } from "./backend-calls.ts";
import { createWatchTracker, type WatchTracker } from "./watch-tracker.ts";

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(t), resolve()), { once: true });
  });

/** Watches `kind` through `client` until `signal` aborts. */
export function runRpcWatcher(client: NgClient, kind: KindDescriptor, label: string, signal: AbortSignal): { tracker: WatchTracker; done: Promise<void> } {
  const t = createWatchTracker(label, kind.kind);
  const done = (async () => {
    let listed = false;
    while (!signal.aborted) {
      const snapshot = !listed;
      const initial: { key: string; rv: number }[] = [];
      let inInitial = snapshot;
      let expired = false;
      try {
        const req = snapshot ? { resourceVersion: "", allowBookmarks: true } : { resourceVersion: String(t.rv), allowBookmarks: true };
        for await (const raw of watchKindRpc(client, kind, req, signal)) {
          const e = decodeEvent(kind, raw);
          if (e.type === "ERROR") {
            expired = true;
            break;
          }
          const key = e.object ? `${e.object.metadata.namespace}/${e.object.metadata.name}` : "";
          if (inInitial) {
            if (e.type === "ADDED") initial.push({ key, rv: e.rv });
            else if (e.type === "BOOKMARK" && e.initialEventsEnd) {
              t.list(initial, e.rv);
              listed = true;
              inInitial = false;
            }
            continue;
          }
          if (e.type === "BOOKMARK") t.bookmark(e.rv);
          else t.event(e.type, key, e.rv);
        }
      } catch (err) {
        if (signal.aborted) break;
        if (ConnectError.from(err).code === Code.OutOfRange) expired = true;
      }
      if (signal.aborted) break;
      if (expired && listed) {
        t.relists++;
        listed = false;
        continue;
      }
      if (listed) t.resumes++;
      await sleep(100, signal);
    }
  })();
  return { tracker: t, done };
}
