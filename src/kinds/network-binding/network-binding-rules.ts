/**
 * NetworkBinding rules (upstream: the registry validator, `NetworkBindingValidator` and the network
 * service's "already bound" check): both references name objects of the binding's own namespace
 * (upstream's references have no namespace), and a Network is bound by at most one binding, so it
 * is in at most one AddressGroup.
 */
import type { KindRules } from "../validation/kind-rules.ts";
import { boundNetworkKey } from "./network-binding-lookup.ts";

/** NetworkBinding: see the file comment. */
export const networkBindingRules: KindRules = {
  sameNamespaceRefs: [
    { path: "spec.networkRef", reason: "a NetworkBinding binds a Network of its own namespace" },
    { path: "spec.addressGroupRef", reason: "a NetworkBinding binds into an AddressGroup of its own namespace" },
  ],
  uniqueness: { field: "spec.networkRef", key: boundNetworkKey, describe: "the same Network (a Network is bound at most once)" },
};
