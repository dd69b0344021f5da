/**
 * Schemas of the netguard types shared between kinds (as upstream netguard-pg-backend defines them): references, ports,
 * derived membership records. Published as components so `kubectl explain` names the type of a
 * field and so each type is described once.
 */
import { MAX_DESCRIPTION, MAX_PORT_DESCRIPTION, PROTOCOLS } from "../../domain/mod.ts";
import { API_VERSION } from "../../kinds/model.ts";
import { blockNames } from "../../kinds/openapi/block-names.ts";
import { metaNames } from "./meta-schemas.ts";
import { enumOf, int32, listOf, object, ref, refWithDescription, str, type Schema } from "../../kinds/openapi/schema-types.ts";

const apiVersionField = str(`API version of the referent; netguard objects use "${API_VERSION}".`);
const portString = str('Port, range or comma list: "80", "8080-9090", "80,443,8000-8010". Values 0-65535, start <= end, at most 32 characters.', {
  maxLength: 32,
});
const portNumber = int32("Port number, 1-65535.", { minimum: 1, maximum: 65535 });

/** The shared netguard component schemas, by component name. */
export const BUILDING_BLOCK_SCHEMAS: Record<string, Schema> = {
  [blockNames.objectReference]: object(
    "ObjectReference points at an object of this API group in the same namespace.",
    {
      apiVersion: apiVersionField,
      kind: str("Kind of the referent."),
      name: str("Name of the referent (DNS-1123 subdomain)."),
      namespace: str("The referring object's namespace: may be left out, and the server fills it in."),
    },
    ["apiVersion", "kind", "name"],
  ),
  [blockNames.namespacedObjectReference]: object(
    "NamespacedObjectReference points at an object of this API group in any namespace.",
    {
      apiVersion: apiVersionField,
      kind: str("Kind of the referent."),
      name: str("Name of the referent (DNS-1123 subdomain)."),
      namespace: str("Namespace of the referent. Required by validation."),
    },
    ["apiVersion", "kind", "name", "namespace"],
  ),
  [blockNames.addressGroupReference]: object(
    "AddressGroupReference records one AddressGroup a Service belongs to and how it got there.",
    {
      ref: refWithDescription(blockNames.namespacedObjectReference, "The AddressGroup."),
      source: enumOf(["spec", "binding"], "spec: listed in spec.addressGroups; binding: reached through an AddressGroupBinding."),
    },
    ["ref", "source"],
  ),
  [blockNames.ingressPort]: object(
    "IngressPort is one port (or range, or list) a Service accepts traffic on.",
    {
      protocol: enumOf(PROTOCOLS, "Transport protocol: TCP or UDP."),
      port: portString,
      description: str("Free text.", { maxLength: MAX_DESCRIPTION }),
    },
    ["protocol", "port"],
  ),
  [blockNames.portConfig]: object(
    "PortConfig is one port string of a Service in an AddressGroupPortMapping.",
    { port: portString, description: str("Free text.", { maxLength: MAX_PORT_DESCRIPTION }) },
    ["port"],
  ),
  [blockNames.protocolPorts]: object("ProtocolPorts lists ports per transport protocol (the keys really are upper case).", {
    TCP: listOf(ref(blockNames.portConfig), "TCP ports."),
    UDP: listOf(ref(blockNames.portConfig), "UDP ports."),
  }),
  [blockNames.servicePortsRef]: object(
    "ServicePortsRef is a Service and the ports it exposes through an AddressGroup.",
    {
      apiVersion: apiVersionField,
      kind: str("Kind of the referent: Service."),
      name: str("Name of the Service."),
      namespace: str("Namespace of the Service."),
      ports: refWithDescription(blockNames.protocolPorts, "The Service's ports by protocol."),
    },
    ["apiVersion", "kind", "name", "namespace", "ports"],
  ),
  [blockNames.accessPortsSpec]: object("AccessPortsSpec lists the Services of an AddressGroup with their ports.", {
    apiVersion: str("APIVersion of this list object."),
    kind: str("Kind of this list object: AccessPortsSpec."),
    metadata: refWithDescription(metaNames.objectMeta, "Unused metadata of the embedded list."),
    items: listOf(ref(blockNames.servicePortsRef), "One entry per Service, sorted by namespace/name."),
  }),
  [blockNames.portRange]: object(
    "PortRange is an inclusive range of ports.",
    { from: portNumber, to: portNumber },
    ["from", "to"],
  ),
  [blockNames.portSpec]: object("PortSpec is a destination port or port range of an IEAgAgRule. Exactly one of port or portRange must be set.", {
    port: portNumber,
    portRange: refWithDescription(blockNames.portRange, "An inclusive range; from <= to."),
  }),
  [blockNames.networkItem]: object("NetworkItem is a Network attached to an AddressGroup through a NetworkBinding.", {
    name: str('The Network as sgroups names it: "<namespace>/<name>".'),
    cidr: str("CIDR of the Network."),
    apiVersion: apiVersionField,
    kind: str("Kind of the referent: Network."),
    namespace: str("Namespace of the Network."),
  }),
  [blockNames.hostReference]: object("HostReference records a Host that belongs to an AddressGroup.", {
    ref: refWithDescription(blockNames.namespacedObjectReference, "The Host."),
    uuid: str("UUID of the Host."),
    source: enumOf(["spec", "binding"], "How the Host got into the group: listed in spec.hosts, or bound by a HostBinding."),
  }),
};
