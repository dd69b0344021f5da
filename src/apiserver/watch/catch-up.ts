/**
 * Catch-up for a watch whose resourceVersion is older than the cache holds (the cache started, or
 * its ring wrapped, after the client listed): a short-lived backend Watch from that position — the
 * backend serves it from its own ring or durable log — with the client's selectors pushed down, so
 * the backend applies the enter/leave semantics. As soon as the backend reaches a position the
 * cache can serve exactly (an event past the cache's floor, or a progress bookmark), the watcher
 * switches to the shared cache and the extra stream ends. Only when the backend cannot serve the
 * position either (expired, or no Watch at all) does the client get the 410 Expired ERROR.
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
  /** Writes one backend event to the client. */
  deliver(type: ChangeType, object: KubeObject, rv: number): void;
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
    const events = o.backend.watch(
      o.kind,
      {
        resourceVersion: String(o.fromRv),
        namespace: o.namespace,
        labelSelector: o.labelSelector,
        fieldSelector: o.fieldSelector,
        allowBookmarks: true,
      },
      o.signal,
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
      if (ev.object) o.deliver(ev.type, ev.object, rv);
      if (rv > pos) pos = rv;
    }
    if (!o.signal.aborted) o.fail(statusBody(503, "ServiceUnavailable", "backend watch ended during catch-up"));
  } catch (e) {
    if (o.signal.aborted) return;
    const code = ConnectError.from(e).code;
    if (code === Code.OutOfRange || code === Code.Unimplemented) o.fail(expiredStatus(o.fromRv, cache.floorRv));
    else o.fail(toStatus(e, { kind: o.kind.kind, plural: o.kind.plural }));
  }
}
