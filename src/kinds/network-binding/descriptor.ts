/**
 * The NetworkBinding kind: attaches a Network to an AddressGroup, both of the binding's namespace
 * (upstream's references carry no namespace). Both references are immutable; the binding shows the
 * bound Network as `network`, and the group lists it in `networks`.
 */
import * as pb from "../../gen/netguard/v1/resources_pb.ts";
import { ResourceKind } from "../../gen/netguard/v1/service_pb.ts";
import { ADDRESS_GROUP_KIND } from "../address-group/kind-name.ts";
import { flatRef } from "../../import/row-decoders.ts";
import { optionalMessage, sameNamespaceRef } from "../codecs.ts";
import { readyColumn, refColumn } from "../columns.ts";
import { defineKind, field, path, type KindDescriptor } from "../kind-descriptor.ts";
import { NETWORK_KIND } from "../network/kind-name.ts";
import { blockNames } from "../openapi/block-names.ts";
import { readOnlySchema } from "../openapi/kind-schema-parts.ts";
import { object, ref, refWithDescription } from "../openapi/schema-types.ts";
import { NETWORK_BINDING_KIND } from "./kind-name.ts";
import { networkBindingDerive } from "./network-binding-derive.ts";
import { networkBindingRules } from "./network-binding-rules.ts";
import { networkItemCodec } from "./network-item.ts";

/** NetworkBinding: see the file comment. */
export const NETWORK_BINDING: KindDescriptor = defineKind({
  kind: NETWORK_BINDING_KIND,
  plural: "networkbindings",
  singular: "networkbinding",
  shortNames: ["nb"],
  resourceKind: ResourceKind.NETWORK_BINDING,
  schema: pb.NetworkBindingSchema,
  fields: [
    field("spec.networkRef", "networkRef", sameNamespaceRef(NETWORK_KIND)),
    field("spec.addressGroupRef", "addressGroupRef", sameNamespaceRef(ADDRESS_GROUP_KIND)),
    field("network", "networkItem", optionalMessage(networkItemCodec)),
  ],
  immutable: [path("spec.networkRef"), path("spec.addressGroupRef")],
  readOnly: [path("network")],
  statusFields: [],
  columns: [
    refColumn(NETWORK_KIND, "spec.networkRef.name", "The bound Network"),
    refColumn(ADDRESS_GROUP_KIND, "spec.addressGroupRef.name", "The AddressGroup the Network is bound to"),
    { name: "CIDR", type: "string", priority: 1, description: "CIDR of the bound Network", cell: (o) => String((o.network as { cidr?: unknown } | undefined)?.cidr ?? "") },
    readyColumn,
  ],
  rules: networkBindingRules,
  openapi: {
    description: "NetworkBinding attaches a Network to an AddressGroup of the same namespace; a Network is bound at most once.",
    spec: object(
      "NetworkBindingSpec names the Network and the AddressGroup, both in the binding's namespace. Both references are immutable.",
      {
        networkRef: refWithDescription(blockNames.objectReference, "The Network to bind (kind: Network), in the binding's namespace."),
        addressGroupRef: refWithDescription(blockNames.objectReference, "The AddressGroup to bind it to (kind: AddressGroup), in the binding's namespace."),
      },
      ["networkRef", "addressGroupRef"],
    ),
    root: {
      network: readOnlySchema(ref(blockNames.networkItem)),
    },
  },
  derive: networkBindingDerive,
  upstream: {
    table: "network_bindings",
    order: 55,
    spec: [
      ["networkRef", flatRef(NETWORK_KIND, "network_namespace", "network_name")],
      ["addressGroupRef", flatRef(ADDRESS_GROUP_KIND, "address_group_namespace", "address_group_name")],
    ],
  },
});
