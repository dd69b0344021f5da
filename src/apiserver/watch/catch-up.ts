/**
 * Catch-up for a watch whose resourceVersion is older than the cache holds (the cache started, or
 * its ring wrapped, after the client listed): a short-lived backend Watch from that position — the
 * backend serves it from its own ring or durable log — with the client's selectors pushed down, so
 * the backend applies the enter/leave semantics. As soon as the backend reaches a position the
 * cache can serve exactly (an event past the cache's floor, or a progress bookmark), the watcher
 * switches to the shared cache and the extra stream ends. Only when the backend cannot serve the
 * position either (expired, or no Watch at all) does the client get the 410 Expired ERROR.
 *
 * A catch-up honours the client's backpressure like a live watch. It reads the backend stream
 * eagerly into a small per-client buffer; when that is full and the client has no room, it releases
 * the backend stream (an unread HTTP/2 stream would stall the shared connection, and with it every
 * kind's cache feed) and resumes from its position once the client has read. A client that does not
 * read holds one bounded buffer here, not the history since its resourceVersion.
 */
import { Code, ConnectError } from "@connectrpc/connect";
import type { KindDescriptor } from "../../kinds/kind-table.ts";
import type { KubeObject } from "../../kinds/model.ts";
import type { BackendClient } from "../backend-client.ts";
import { statusBody, toStatus, type StatusBody } from "../status.ts";
import type { ChangeType } from "./cache-event.ts";
import type { WatchCache } from "./watch-cache.ts";

export interface CatchUpOptions {
  backend: BackendClient;
  kind: KindDescriptor;
  cache: WatchCache;
  fromRv: number;
  namespace: string;
  labelSelector: string;
  fieldSelector: string;
  signal: AbortSignal;
  /**
   * Writes (or, while the client has no room, buffers) one backend event; false when the client's
   * buffer is full and the catch-up must stop reading the backend until `room` resolves.
   */
  deliver(type: ChangeType, object: KubeObject, rv: number): boolean;
  /**
   * Resolves once the client has taken what was buffered (false: the watcher ended meanwhile,
   * e.g. expired because it stalled while the cache moved on by more than its ring).
   */
  room(): Promise<boolean>;
  /** Continue from the cache after position `rv` (everything up to it was delivered). */
  switchToCache(rv: number): void;
  /** End the watch with this Status as an ERROR event. */
  fail(status: StatusBody): void;
}

/** The Status of an expired watch position, worded like the Kubernetes API server. */
export function expiredStatus(rv: number | string, oldest: number | string): StatusBody {
  return statusBody(410, "Expired", `too old resource version: ${rv} (${oldest})`);
}

/** Runs one catch-up until the watcher is switched to the cache, fails, or `signal` aborts. */
export async function runCatchUp(o: CatchUpOptions): Promise<void> {
  const { cache } = o;
  let pos = o.fromRv;
  const servable = (rv: number) => cache.ready && cache.isServable(rv);
  try {
    for (;;) {
      // One leg: a backend stream read eagerly (a stream left unread would hold the HTTP/2
      // connection's flow-control window, which the kinds' cache feeds share) until the client's
      // buffer is full; then the stream is released and a new leg resumes from `pos` once the
      // client has taken what was buffered.
      const leg = new AbortController();
      const stop = () => leg.abort();
      o.signal.addEventListener("abort", stop, { once: true });
      let full = false;
      try {
        const events = o.backend.watch(
          o.kind,
          {
            resourceVersion: String(pos),
            namespace: o.namespace,
            labelSelector: o.labelSelector,
            fieldSelector: o.fieldSelector,
            allowBookmarks: true,
          },
          leg.signal,
        );
        for await (const ev of events) {
          if (o.signal.aborted) return;
          if (ev.type === "ERROR") {
            o.fail(statusBody(410, "Expired", ev.errorMessage || expiredStatus(o.fromRv, cache.floorRv).message));
            return;
          }
          const rv = Number(ev.resourceVersion);
          if (ev.type === "BOOKMARK") {
            if (rv > pos) pos = rv;
            if (servable(pos)) return o.switchToCache(pos);
            continue;
          }
          if (rv > pos && servable(rv - 1)) return o.switchToCache(rv - 1);
          if (rv <= pos) continue; // already delivered by an earlier leg
          pos = rv;
          if (ev.object && !o.deliver(ev.type, ev.object, rv)) {
            full = true;
            break;
          }
        }
      } finally {
        o.signal.removeEventListener("abort", stop);
        leg.abort();
      }
      if (o.signal.aborted) return;
      if (!full) {
        o.fail(statusBody(503, "ServiceUnavailable", "backend watch ended during catch-up"));
        return;
      }
      if (!(await o.room()) || o.signal.aborted) return;
    }
  } catch (e) {
    if (o.signal.aborted) return;
    const code = ConnectError.from(e).code;
    if (code === Code.OutOfRange || code === Code.Unimplemented) o.fail(expiredStatus(o.fromRv, cache.floorRv));
    else o.fail(toStatus(e, { kind: o.kind.kind, plural: o.kind.plural }));
  }
}
