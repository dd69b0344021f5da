/**
 * The AddressGroupPortMapping kind: the ports of every Service in an AddressGroup. It has the
 * AddressGroup's name and namespace and is maintained by the server; clients may change labels and
 * annotations only.
 */
import * as pb from "../../gen/netguard/v1/resources_pb.ts";
import { ResourceKind } from "../../gen/netguard/v1/service_pb.ts";

import { defineKind, field, path, type KindDescriptor } from "../kind-descriptor.ts";
import { blockNames } from "../openapi/block-names.ts";
import { object, refWithDescription } from "../openapi/schema-types.ts";
import { accessPortsCodec } from "./access-ports-codec.ts";
import { addressGroupPortMappingDerive } from "./address-group-port-mapping-derive.ts";
import { addressGroupPortMappingRules } from "./address-group-port-mapping-rules.ts";
import { ADDRESS_GROUP_PORT_MAPPING_KIND } from "./kind-name.ts";

/** AddressGroupPortMapping: see the file comment. */
export const ADDRESS_GROUP_PORT_MAPPING: KindDescriptor = defineKind({
  kind: ADDRESS_GROUP_PORT_MAPPING_KIND,
  plural: "addressgroupportmappings",
  singular: "addressgroupportmapping",
  shortNames: ["agpm"],
  resourceKind: ResourceKind.ADDRESS_GROUP_PORT_MAPPING,
  schema: pb.AddressGroupPortMappingSchema,
  fields: [field("accessPorts", "accessPorts", accessPortsCodec)],
  immutable: [],
  // fully derived (address-group-port-mapping-derive.ts): clients may change labels/annotations only
  readOnly: [path("accessPorts")],
  statusFields: [],
  columns: [
    {
      name: "Services",
      type: "integer",
      priority: 1,
      description: "Number of Services with access ports",
      cell: (o) => ((o.accessPorts as { items?: unknown[] } | undefined)?.items ?? []).length,
    },
  ],
  rules: addressGroupPortMappingRules,
  openapi: {
    description:
      "AddressGroupPortMapping lists the ports of every Service in an AddressGroup. It has the AddressGroup's name and namespace and is maintained by the server.",
    spec: object("AddressGroupPortMappingSpec is empty.", {}),
    root: {
      accessPorts: refWithDescription(
        blockNames.accessPortsSpec,
        "The Services of the AddressGroup and their ports. Ranges of different Services must not overlap per protocol.",
      ),
    },
  },
  derive: addressGroupPortMappingDerive,
  upstream: {
    table: "address_group_port_mappings",
    order: 30,
    spec: [],
    derived: "derived: this server computes every port mapping from its AddressGroup, Services and bindings",
  },
});
