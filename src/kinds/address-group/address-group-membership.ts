/**
 * Which Services are in which AddressGroups. A Service joins a group either directly, by listing it
 * in `spec.addressGroups` (source "spec"), or through an AddressGroupBinding (source "binding").
 * Ownership and port-overlap rules of Services, bindings and deletes all need this relation, so it
 * is computed in one place from the state — per group or per Service, through the state's
 * reference indexes, never by walking every Service and binding.
 */
import { keyOfObject } from "../../domain/object-identity.ts";
import { asArray, readPath } from "../../domain/json-access.ts";
import { refKey, refKeyAt } from "../../domain/references.ts";
import { byObjectKey, findBy, refIndex } from "../../domain/state-lookup.ts";
import type { StateView } from "../../domain/state-view.ts";

/** One Service-in-AddressGroup registration. */
export interface Membership {
  serviceKey: string;
  agKey: string;
  via: "spec" | "binding";
  /** Key of the AddressGroupBinding when `via` is "binding". */
  bindingKey?: string;
}

/**
 * Stored objects are never mutated (every write stores a new object), so what an object declares
 * is computed once per object and reused by every later write that walks all Services or bindings.
 */
const specCache = new WeakMap<object, Membership[]>();
const bindingCache = new WeakMap<object, Membership | null>();

/**
 * The memberships a Service declares in its own `spec.addressGroups`. Read directly (no field
 * paths are built) and cached per object: this runs for every Service on every write that needs
 * the relation.
 */
export function specMemberships(service: unknown): Membership[] {
  if (service === null || typeof service !== "object") return [];
  let cached = specCache.get(service);
  if (!cached) specCache.set(service, (cached = computeSpecMemberships(service)));
  return cached;
}

function computeSpecMemberships(service: object): Membership[] {
  const serviceKey = keyOfObject(service);
  if (!serviceKey) return [];
  const value = readPath(service, ["spec", "addressGroups"]);
  const refs = asArray(value) ?? (value === undefined || value === null ? [] : [value]);
  const out: Membership[] = [];
  for (const ref of refs) {
    const agKey = refKey(ref);
    if (agKey) out.push({ serviceKey, agKey, via: "spec" });
  }
  return out;
}

/** The membership an AddressGroupBinding creates, when its refs are usable (cached per object). */
export function bindingMembership(binding: unknown): Membership | undefined {
  if (binding === null || typeof binding !== "object") return undefined;
  let cached = bindingCache.get(binding);
  if (cached === undefined) bindingCache.set(binding, (cached = computeBindingMembership(binding) ?? null));
  return cached ?? undefined;
}

function computeBindingMembership(binding: object): Membership | undefined {
  const serviceKey = refKeyAt(binding, ["spec", "serviceRef"]);
  const agKey = refKeyAt(binding, ["spec", "addressGroupRef"]);
  if (!serviceKey || !agKey) return undefined;
  return { serviceKey, agKey, via: "binding", bindingKey: keyOfObject(binding) };
}

/**
 * Every membership of AddressGroup `agKey`: Services listing it in their spec (sorted by Service),
 * then bindings into it (sorted by binding).
 */
export function membershipsOfGroup(state: StateView, agKey: string): Membership[] {
  const out: Membership[] = [];
  for (const svc of byObjectKey(findBy(state, "Service", refIndex("Service", "AddressGroup"), agKey))) {
    for (const m of specMemberships(svc)) if (m.agKey === agKey) out.push(m);
  }
  for (const b of byObjectKey(findBy(state, "AddressGroupBinding", refIndex("AddressGroupBinding", "AddressGroup"), agKey))) {
    const m = bindingMembership(b);
    if (m?.agKey === agKey) out.push(m);
  }
  return out;
}

/** The memberships that bindings give Service `serviceKey` (sorted by binding). */
export function bindingMembershipsOfService(state: StateView, serviceKey: string): Membership[] {
  const out: Membership[] = [];
  for (const b of byObjectKey(findBy(state, "AddressGroupBinding", refIndex("AddressGroupBinding", "Service"), serviceKey))) {
    const m = bindingMembership(b);
    if (m?.serviceKey === serviceKey) out.push(m);
  }
  return out;
}

/** "via spec.addressGroups" or "via AddressGroupBinding shop/x", for messages. */
export function describeVia(m: Membership): string {
  return m.via === "spec" ? "via spec.addressGroups" : `via AddressGroupBinding ${m.bindingKey ?? "?"}`;
}
