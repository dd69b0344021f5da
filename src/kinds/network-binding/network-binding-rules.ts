/**
 * NetworkBinding rules (upstream: the registry validator, `NetworkBindingValidator` and the network
 * service's "already bound" check): a Network is bound by at most one binding, so it is in at most
 * one AddressGroup. Both references name objects of the binding's own namespace (upstream's
 * references have no namespace); the descriptor's same-namespace references enforce that.
 */
import type { KindRules } from "../validation/kind-rules.ts";
import { boundNetworkKey } from "./network-binding-lookup.ts";

/** NetworkBinding: see the file comment. */
export const networkBindingRules: KindRules = {
  uniqueness: { field: "spec.networkRef", key: boundNetworkKey, describe: "the same Network (a Network is bound at most once)" },
};
