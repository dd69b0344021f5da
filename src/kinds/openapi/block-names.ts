/**
 * Component names of the netguard types shared between kinds (references, ports, membership
 * records). Kind descriptors point their OpenAPI parts at these names; the schemas behind them are
 * published by `src/apiserver/openapi/building-block-schemas.ts`.
 */
import { refWithDescription, type Schema } from "./schema-types.ts";

const NG = "io.sgroups.netguard.v1beta1";

/** Component name of a netguard type ("io.sgroups.netguard.v1beta1.<Type>"). */
export function netguardName(type: string): string {
  return `${NG}.${type}`;
}

/** Component names of the shared netguard types. */
export const blockNames = {
  objectReference: netguardName("ObjectReference"),
  namespacedObjectReference: netguardName("NamespacedObjectReference"),
  addressGroupReference: netguardName("AddressGroupReference"),
  ingressPort: netguardName("IngressPort"),
  portConfig: netguardName("PortConfig"),
  protocolPorts: netguardName("ProtocolPorts"),
  servicePortsRef: netguardName("ServicePortsRef"),
  accessPortsSpec: netguardName("AccessPortsSpec"),
  portSpec: netguardName("PortSpec"),
  portRange: netguardName("PortRange"),
  networkItem: netguardName("NetworkItem"),
  hostReference: netguardName("HostReference"),
} as const;

/** A reference whose description names what it must point at. */
export function namespacedRefTo(kind: string, description: string): Schema {
  return refWithDescription(blockNames.namespacedObjectReference, `${description} Must reference a ${kind} (kind: ${kind}).`);
}
