/**
 * Persistence decorators for the import.
 *
 * The engine gives every created object a new uid and creation time, as it must for clients. An
 * import keeps upstream's (kubectl and controllers know objects by uid; age should not reset):
 * `createPinningPersistence` stamps them onto the ADDED event of an imported object just before
 * its commit — after validation, which neither field takes part in, and in the same transaction.
 *
 * `createDiscardingPersistence` backs a dry run: it loads the real store and then forgets every
 * commit, so each object is validated by the real write path against the store plus the objects
 * imported before it, and nothing is written.
 */
import type { Persistence } from "../backend/store/persistence.ts";
import type { UpstreamIdentity } from "./upstream-object.ts";

/** Identities to stamp, by "Kind/namespace/name"; an entry is used by that object's ADDED event. */
export type IdentityPins = Map<string, UpstreamIdentity>;

export const pinKey = (kind: string, namespace: string, name: string): string => `${kind}/${namespace}/${name}`;

export function createPinningPersistence(inner: Persistence, pins: IdentityPins): Persistence {
  return {
    ...bind(inner),
    commit(batch) {
      for (const ev of batch.events) {
        if (ev.type !== "ADDED") continue;
        const pin = pins.get(pinKey(ev.kind, ev.namespace, ev.name));
        if (!pin) continue;
        if (pin.uid) ev.object.metadata.uid = pin.uid;
        if (pin.creationTimestamp) ev.object.metadata.creationTimestamp = pin.creationTimestamp;
      }
      return inner.commit(batch);
    },
  };
}

export function createDiscardingPersistence(inner: Persistence): Persistence {
  return { ...bind(inner), commit: async () => undefined, trim: async () => 0 };
}

function bind(p: Persistence): Persistence {
  return {
    load: () => p.load(),
    commit: (b) => p.commit(b),
    readEvents: (k, a, l) => p.readEvents(k, a, l),
    trim: (pol, now) => p.trim(pol, now),
    eventCount: () => p.eventCount(),
    close: () => p.close(),
  };
}
