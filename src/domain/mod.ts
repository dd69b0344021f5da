/**
 * The domain library: what netguard's rules and derivations are made of — JSON access, object keys
 * and references, port syntax and overlap, Kubernetes names, state views and indexed lookups, the
 * derive context, engine errors. Shared by kinds' rules and derive hooks (src/kinds/<kind>/), the
 * generic validation (src/kinds/validation/) and the backend; callers outside src/kinds and
 * src/domain import this entry, not the files behind it.
 */
export * from "./derive-context.ts";
export * from "./domain-values.ts";
export * from "./engine-error.ts";
export * from "./field-path.ts";
export * from "./json-access.ts";
export * from "./k8s-names.ts";
export * from "./object-identity.ts";
export * from "./object-key.ts";
export * from "./port-syntax.ts";
export * from "./references.ts";
export * from "./service-port-ranges.ts";
export * from "./service-ports.ts";
export * from "./sha256.ts";
export * from "./state-lookup.ts";
export * from "./state-view.ts";
