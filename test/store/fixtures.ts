/** Builders for store tests: events that look like what the engine commits. */
import type { KubeObject } from "../../src/kinds/model.ts";
import type { ChangeType, StoredEvent } from "../../src/backend/store/persistence.ts";

export const T0 = 1_700_000_000_000;

export interface EventOptions {
  namespace?: string;
  labels?: Record<string, string>;
  prevLabels?: Record<string, string>;
  spec?: Record<string, unknown>;
  time?: number;
}

export function makeObject(kind: string, name: string, rv: number, opts: EventOptions = {}): KubeObject {
  const object: KubeObject = {
    apiVersion: "netguard.sgroups.io/v1beta1",
    kind,
    metadata: { name, namespace: opts.namespace ?? "default", resourceVersion: String(rv), uid: `uid-${name}` },
    spec: opts.spec ?? { description: `${name} at ${rv}`, ports: [80, 443], nested: { ok: true, none: null } },
  };
  if (opts.labels) object.metadata.labels = opts.labels;
  return object;
}

export function makeEvent(
  rv: number,
  type: ChangeType,
  kind: string,
  name: string,
  opts: EventOptions = {},
): StoredEvent {
  const event: StoredEvent = {
    rv,
    kind,
    type,
    namespace: opts.namespace ?? "default",
    name,
    object: makeObject(kind, name, rv, opts),
    time: opts.time ?? T0 + rv,
  };
  if (opts.prevLabels) event.prevLabels = opts.prevLabels;
  return event;
}

/** ADDED events rv first..last, one object each, alternating between two kinds. */
export function addedRange(first: number, last: number, timeOf: (rv: number) => number = (rv) => T0 + rv): StoredEvent[] {
  const out: StoredEvent[] = [];
  for (let rv = first; rv <= last; rv++) {
    out.push(makeEvent(rv, "ADDED", rv % 2 ? "Service" : "AddressGroup", `obj-${rv}`, { time: timeOf(rv) }));
  }
  return out;
}
