/**
 * AddressGroup `xAggregatedHosts`: every Host of the group with its UUID — first those listed in
 * `spec.hosts` (source "spec", in list order), then those bound by HostBindings (source "binding",
 * by binding key). Upstream maintained it with database triggers (migration 014) that did not bump
 * the resourceVersion; here it is an ordinary derived write, so watchers see it change.
 */
import type { DeriveContext } from "../../domain/derive-context.ts";
import { boundHostKey, hostBindingsNaming } from "../host-binding/host-binding-lookup.ts";
import { ADDRESS_GROUP_KIND } from "../address-group/kind-name.ts";
import { API_VERSION, type KubeObject } from "../model.ts";
import { splitKey } from "../../domain/object-key.ts";
import { listedHostKeys } from "./host-membership.ts";
import { HOST_KIND } from "./kind-name.ts";

function hostReference(ctx: DeriveContext, hostKey: string, source: "spec" | "binding"): Record<string, unknown> | undefined {
  const id = splitKey(hostKey);
  if (!id) return undefined;
  const uuid = ctx.get(HOST_KIND, hostKey)?.spec?.uuid;
  return {
    ref: { apiVersion: API_VERSION, kind: HOST_KIND, name: id.name, namespace: id.namespace },
    uuid: typeof uuid === "string" ? uuid : "",
    source,
  };
}

/** The field value for group `group` (canonical: absent when empty). */
export function aggregatedHosts(ctx: DeriveContext, group: KubeObject, groupKey: string): unknown[] | undefined {
  const out: unknown[] = [];
  for (const hostKey of listedHostKeys(group)) {
    const r = hostReference(ctx, hostKey, "spec");
    if (r) out.push(r);
  }
  for (const b of hostBindingsNaming(ctx.state, ADDRESS_GROUP_KIND, groupKey)) {
    const hostKey = boundHostKey(b);
    const r = hostKey && ctx.get(HOST_KIND, hostKey) ? hostReference(ctx, hostKey, "binding") : undefined;
    if (r) out.push(r);
  }
  return out.length ? out : undefined;
}
