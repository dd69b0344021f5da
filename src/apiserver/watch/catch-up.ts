/**
 * The kind's catch-up streams, for watches whose resourceVersion is older than the cache holds (the
 * cache started, or its ring wrapped, after the client listed): a backend Watch from that position
 * — the backend serves it from its own ring or durable log — with the client's selectors pushed
 * down, so the backend applies the enter/leave semantics. Lagging watchers with the same
 * selectors share one stream: a watcher joins a running one whose position is not past its own
 * and skips what it already has, so a burst of clients relisting from one resourceVersion opens
 * one backend Watch, not one each. As soon as the stream reaches a position the cache can serve
 * exactly (an event past the cache's floor, or a progress bookmark), each watcher switches to the
 * shared cache; the stream ends when no watcher is left on it. Only when the backend cannot serve
 * the position either (expired, or no Watch at all) does a client get the 410 Expired ERROR.
 *
 * Streams are read eagerly (an unread HTTP/2 stream would hold the connection's flow-control
 * window, which every kind's cache feed shares). A watcher whose client has no room buffers a
 * bounded amount (catch-up-phase.ts), then leaves the stream and rejoins from its position once
 * the client has read: a client that does not read holds one bounded buffer, not the history.
 */
import { Code, ConnectError } from "@connectrpc/connect";
import type { KindDescriptor } from "../../kinds/kind-table.ts";
import type { KubeObject } from "../../kinds/model.ts";
import type { ChangeType } from "../../watch-log/mod.ts";
import type { BackendClient } from "../backend-client.ts";
import { statusBody, toStatus, type StatusBody } from "../status.ts";
import { expiredStatus } from "./expired-status.ts";
import type { WatchCache } from "./watch-cache.ts";
import type { KindWatchStats } from "./watch-stats.ts";
import type { WatchRequestParams } from "./watch-types.ts";

/** A lagging watcher as the catch-up streams see it. */
export interface CatchUpMember {
  readonly params: Pick<WatchRequestParams, "namespace" | "labelSelector" | "fieldSelector">;
  /** Everything of the member's selection up to here has been delivered (advanced by the streams). */
  position: number;
  /** Where its catch-up started (for the 410 message). */
  readonly catchUpFrom: number;
  /** One backend event; false when the member's buffer is full and it leaves the stream for now. */
  deliver(type: ChangeType, object: KubeObject, rv: number): boolean;
  /** Continue from the cache after position `rv` (everything up to it was delivered). */
  switchToCache(rv: number): void;
  /** End the watch with this Status as an ERROR event. */
  fail(status: StatusBody): void;
}

export interface CatchUpCoordinator {
  /** Catches `m` up from `m.position` (on a running stream of its selectors if one can serve it). */
  join(m: CatchUpMember): void;
  /** Takes `m` off its stream (a stream nobody is on ends). No-op when it is on none. */
  leave(m: CatchUpMember): void;
  /** Backend catch-up streams running now. */
  readonly streams: number;
  /** Ends every stream (members are not told: the kind is closing). */
  close(): void;
}

export interface CatchUpOptions {
  kind: KindDescriptor;
  backend: BackendClient;
  cache: WatchCache;
  stats: KindWatchStats;
}

interface Leg {
  readonly key: string;
  /** Every event of the selection up to here has come through this stream. */
  pos: number;
  readonly members: Set<CatchUpMember>;
  readonly abort: AbortController;
}

const selectionKey = (m: CatchUpMember) => `${m.params.namespace}\n${m.params.labelSelector}\n${m.params.fieldSelector}`;

/** The catch-up streams of one kind; nothing runs until a watcher joins. */
export function createCatchUpCoordinator(o: CatchUpOptions): CatchUpCoordinator {
  const { cache } = o;
  const legs = new Set<Leg>();
  const legOf = new Map<CatchUpMember, Leg>();
  const servable = (rv: number) => cache.ready && cache.isServable(rv);

  const detach = (m: CatchUpMember): void => {
    const leg = legOf.get(m);
    if (!leg) return;
    legOf.delete(m);
    leg.members.delete(m);
    if (leg.members.size === 0) leg.abort.abort();
  };

  const failAll = (leg: Leg, status: (m: CatchUpMember) => StatusBody): void => {
    for (const m of [...leg.members]) {
      detach(m);
      m.fail(status(m));
    }
  };

  async function run(leg: Leg, first: CatchUpMember): Promise<void> {
    const { signal } = leg.abort;
    try {
      o.stats.catchUpStreams++;
      const events = o.backend.watch(
        o.kind,
        {
          resourceVersion: String(leg.pos),
          namespace: first.params.namespace,
          labelSelector: first.params.labelSelector,
          fieldSelector: first.params.fieldSelector,
          allowBookmarks: true,
        },
        signal,
      );
      for await (const ev of events) {
        if (signal.aborted) return;
        if (ev.type === "ERROR") {
          failAll(leg, (m) => statusBody(410, "Expired", ev.errorMessage || expiredStatus(m.catchUpFrom, cache.floorRv).message));
          return;
        }
        const rv = Number(ev.resourceVersion);
        if (rv > leg.pos) leg.pos = rv;
        for (const m of [...leg.members]) {
          if (ev.type === "BOOKMARK") {
            if (rv > m.position) m.position = rv;
            if (servable(m.position)) {
              detach(m);
              m.switchToCache(m.position);
            }
            continue;
          }
          if (rv > m.position && servable(rv - 1)) {
            detach(m);
            m.switchToCache(rv - 1);
            continue;
          }
          if (rv <= m.position) continue; // it joined past this event, or had it before it left
          m.position = rv;
          if (ev.object && !m.deliver(ev.type, ev.object, rv)) detach(m);
        }
        if (leg.members.size === 0) return;
      }
      if (!signal.aborted) failAll(leg, () => statusBody(503, "ServiceUnavailable", "backend watch ended during catch-up"));
    } catch (e) {
      if (signal.aborted) return;
      const code = ConnectError.from(e).code;
      if (code === Code.OutOfRange || code === Code.Unimplemented) failAll(leg, (m) => expiredStatus(m.catchUpFrom, cache.floorRv));
      else failAll(leg, () => toStatus(e, { kind: o.kind.kind, plural: o.kind.plural }));
    } finally {
      leg.abort.abort();
      legs.delete(leg);
      for (const m of leg.members) legOf.delete(m);
    }
  }

  return {
    get streams() {
      return legs.size;
    },
    join(m) {
      detach(m);
      const key = selectionKey(m);
      for (const leg of legs) {
        if (leg.key !== key || leg.pos > m.position || leg.abort.signal.aborted) continue;
        leg.members.add(m);
        legOf.set(m, leg);
        return;
      }
      const leg: Leg = { key, pos: m.position, members: new Set([m]), abort: new AbortController() };
      legs.add(leg);
      legOf.set(m, leg);
      void run(leg, m);
    },
    leave: detach,
    close() {
      for (const leg of legs) leg.abort.abort();
      legs.clear();
      legOf.clear();
    },
  };
}
