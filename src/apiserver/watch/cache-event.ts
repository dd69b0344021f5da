/**
 * What the watch cache holds: the current objects (state entries) and the recent changes (events).
 * Both carry their encoded wire lines once computed, so an event is serialised once per format and
 * the same bytes go to every watcher that needs that variant.
 */
import type { KubeObject } from "../../kinds/model.ts";
import type { ChangeType } from "../../watch-log/mod.ts";

export type { ChangeType };

/** Something that can be written as a watch event: an object at a resourceVersion. */
export interface Encodable {
  readonly object: KubeObject;
  readonly rv: number;
  /** JSON of `object`, filled on first use. */
  json?: string;
  /** Encoded lines by variant (type, format, include, columns), filled on first use. */
  lines?: Map<string, Uint8Array>;
}

/** One current object of the kind. */
export type StateEntry = Encodable;

/** One change in the ring. */
export interface CacheEvent extends Encodable {
  readonly type: ChangeType;
  readonly namespace: string;
  readonly name: string;
  /** Labels before a MODIFIED change, so label-filtered watchers see objects enter and leave. */
  readonly prevLabels?: Record<string, string>;
  /** Backend commit time (ms since epoch) when the source knows it (streams do; polls do not). */
  readonly commitTimeMs?: number;
}
