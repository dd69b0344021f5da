/**
 * Service `xAggregatedAddressGroups`: every AddressGroup the Service belongs to, from its own
 * `spec.addressGroups` (source "spec") and from AddressGroupBindings (source "binding"), sorted by
 * group namespace/name. Upstream maintained it with database triggers that did not bump the
 * resourceVersion, so watchers never saw it change; here it is an ordinary derived write.
 */
import { ADDRESS_GROUP_KIND } from "../address-group/kind-name.ts";
import { API_VERSION } from "../model.ts";
import type { DeriveContext } from "../../domain/derive-context.ts";
import { groupsOfService } from "../address-group/group-members.ts";

/** The field value (canonical: absent when empty, as it reads back from the wire). */
export function aggregatedAddressGroups(ctx: DeriveContext, serviceKey: string): unknown[] | undefined {
  const groups = groupsOfService(ctx, serviceKey);
  if (groups.length === 0) return undefined;
  return groups.map((g) => ({
    ref: { apiVersion: API_VERSION, kind: ADDRESS_GROUP_KIND, name: g.name, namespace: g.namespace },
    source: g.source,
  }));
}
