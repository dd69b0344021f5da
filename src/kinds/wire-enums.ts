/**
 * The wire enums shared by several kinds (protobuf numbers ↔ Kubernetes strings), as codecs for
 * kind descriptors' fields.
 */
import { enumOf } from "./codecs.ts";

/** Transport protocol; TCP is 0, so it is always written. */
export const transportCodec = enumOf({ TCP: 0, UDP: 1 }, false);
/** Traffic direction; INGRESS is 0, so it is always written. */
export const trafficCodec = enumOf({ INGRESS: 0, EGRESS: 1 }, false);
/** Rule verdict; 0 is unset. */
export const actionCodec = enumOf({ DROP: 1, ACCEPT: 2 }, true);
