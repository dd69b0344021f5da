/**
 * Which AddressGroup holds a Host, and how: through a HostBinding (source "binding") or by being
 * listed in the group's `spec.hosts` (source "spec"). Host status and AddressGroup
 * `xAggregatedHosts` are both read from here, so they always agree.
 */
import { refKeysAt } from "../../domain/references.ts";
import { byObjectKey, findBy, refIndex } from "../../domain/state-lookup.ts";
import type { StateView } from "../../domain/state-view.ts";
import { ADDRESS_GROUP_KIND } from "../address-group/kind-name.ts";
import { hostBindingsNaming, hostGroupKey } from "../host-binding/host-binding-lookup.ts";
import type { KubeObject } from "../model.ts";
import { HOST_KIND } from "./kind-name.ts";

const HOSTS = ["spec", "hosts"] as const;

/** "namespace/name" keys of the Hosts an AddressGroup lists in `spec.hosts`. */
export const listedHostKeys = (group: unknown): string[] => refKeysAt(group, HOSTS);

/** AddressGroups listing Host `hostKey` in `spec.hosts`, sorted by key. */
export function groupsListingHost(state: StateView, hostKey: string): KubeObject[] {
  return byObjectKey(findBy(state, ADDRESS_GROUP_KIND, refIndex(ADDRESS_GROUP_KIND, HOST_KIND), hostKey).filter((g) => listedHostKeys(g).includes(hostKey)));
}

/** How a Host is in a group: the group's key, and the binding when it is bound by one. */
export interface HostMembership {
  groupKey: string;
  binding?: KubeObject;
}

/** The group holding Host `hostKey` (a HostBinding first, then `spec.hosts`), if any. */
export function membershipOfHost(state: StateView, hostKey: string): HostMembership | undefined {
  for (const binding of hostBindingsNaming(state, HOST_KIND, hostKey)) {
    const groupKey = hostGroupKey(binding);
    if (groupKey) return { groupKey, binding };
  }
  const group = groupsListingHost(state, hostKey)[0];
  return group ? { groupKey: `${group.metadata.namespace}/${group.metadata.name}` } : undefined;
}
