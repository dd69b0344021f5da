/**
 * The HostBindings naming a Host or an AddressGroup, from the reference indexes of the kind table,
 * and what a binding names: what Host in-use protection, Host status and AddressGroup
 * `xAggregatedHosts` are built on.
 */
import { refKeyAt } from "../../domain/references.ts";
import { referencingAt } from "../../domain/state-lookup.ts";
import type { StateView } from "../../domain/state-view.ts";
import { HOST_KIND } from "../host/kind-name.ts";
import type { KubeObject } from "../model.ts";
import { HOST_BINDING_KIND } from "./kind-name.ts";

const HOST_REF = ["spec", "hostRef"] as const;
const GROUP_REF = ["spec", "addressGroupRef"] as const;

/** "namespace/name" of the Host a binding names. */
export const boundHostKey = (binding: unknown): string | undefined => refKeyAt(binding, HOST_REF);
/** "namespace/name" of the AddressGroup a binding names. */
export const hostGroupKey = (binding: unknown): string | undefined => refKeyAt(binding, GROUP_REF);

/** HostBindings whose reference to `target` (Host or AddressGroup) is `key`, sorted by key. */
export function hostBindingsNaming(state: StateView, target: string, key: string): KubeObject[] {
  return referencingAt(state, HOST_BINDING_KIND, target, target === HOST_KIND ? HOST_REF : GROUP_REF, key);
}
