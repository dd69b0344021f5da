/**
 * The wire shared by the backend and the API server (which never import each other): the
 * protobuf registry, `Resource` packing, delete preconditions and batched Watch messages.
 */
export { netguardRegistry } from "./registry.ts";
export { packResource, unpackResource } from "./resource-packing.ts";
export type { Preconditions } from "./preconditions.ts";
export { unbatchWatchEvent } from "./watch-batches.ts";
