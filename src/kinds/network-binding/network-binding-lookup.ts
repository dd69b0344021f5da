/**
 * The NetworkBindings naming a Network or an AddressGroup, from the reference indexes of the kind
 * table, and what a binding names: what Network in-use protection, Network status and AddressGroup
 * `networks` are built on.
 */
import { refKeyAt } from "../../domain/references.ts";
import { referencingAt } from "../../domain/state-lookup.ts";
import type { StateView } from "../../domain/state-view.ts";
import type { KubeObject } from "../model.ts";
import { NETWORK_KIND } from "../network/kind-name.ts";
import { NETWORK_BINDING_KIND } from "./kind-name.ts";

const NETWORK_REF = ["spec", "networkRef"] as const;
const GROUP_REF = ["spec", "addressGroupRef"] as const;

/** "namespace/name" of the Network a binding names. */
export const boundNetworkKey = (binding: unknown): string | undefined => refKeyAt(binding, NETWORK_REF);
/** "namespace/name" of the AddressGroup a binding names. */
export const boundGroupKey = (binding: unknown): string | undefined => refKeyAt(binding, GROUP_REF);

/** NetworkBindings whose reference to `target` (Network or AddressGroup) is `key`, sorted by key. */
export function bindingsNaming(state: StateView, target: string, key: string): KubeObject[] {
  return referencingAt(state, NETWORK_BINDING_KIND, target, target === NETWORK_KIND ? NETWORK_REF : GROUP_REF, key);
}
