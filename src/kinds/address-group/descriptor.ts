/**
 * The AddressGroup kind: a named set of hosts and networks with a default verdict for traffic no
 * rule matches. Services join it by `spec.addressGroups` or by AddressGroupBindings.
 */
import * as pb from "../../gen/netguard/v1/resources_pb.ts";
import { ResourceKind } from "../../gen/netguard/v1/service_pb.ts";
import { flag, refList, text } from "../../import/row-decoders.ts";
import { bool, enumOf, listOf, messageOf, namespacedRef, present, sameNamespaceRef, str } from "../codecs.ts";
import { HOST_KIND } from "../host/kind-name.ts";
import { networkItemCodec } from "../network-binding/network-item.ts";
import { readyColumn, specColumn } from "../columns.ts";
import { defineKind, field, path, type KindDescriptor } from "../kind-descriptor.ts";
import { blockNames } from "../openapi/block-names.ts";
import { actionSchema, readOnlySchema } from "../openapi/kind-schema-parts.ts";
import { bool as boolSchema, listOf as listSchema, object, ref, refWithDescription, str as strSchema } from "../openapi/schema-types.ts";
import { actionCodec } from "../wire-enums.ts";
import { addressGroupDerive } from "./address-group-derive.ts";
import { addressGroupRules } from "./address-group-rules.ts";
import { ADDRESS_GROUP_KIND } from "./kind-name.ts";

const hostReference = messageOf([
  ["ref", "ref", namespacedRef],
  ["uuid", "uuid", str],
  ["source", "source", enumOf({ spec: 0, binding: 1 }, false)],
]);

/** AddressGroup: see the file comment. */
export const ADDRESS_GROUP: KindDescriptor = defineKind({
  kind: ADDRESS_GROUP_KIND,
  plural: "addressgroups",
  singular: "addressgroup",
  shortNames: ["ag"],
  resourceKind: ResourceKind.ADDRESS_GROUP,
  schema: pb.AddressGroupSchema,
  fields: [
    field("spec.defaultAction", "defaultAction", actionCodec),
    field("spec.logs", "logs", present(bool)),
    field("spec.trace", "trace", present(bool)),
    field("spec.hosts", "hosts", listOf(sameNamespaceRef(HOST_KIND))),
    field("status.addressGroupName", "addressGroupName", str),
    field("networks", "networks", listOf(networkItemCodec)),
    field("xAggregatedHosts", "aggregatedHosts", listOf(hostReference)),
  ],
  immutable: [],
  readOnly: [path("networks"), path("xAggregatedHosts"), path("status.addressGroupName")],
  statusFields: [],
  columns: [
    specColumn("Default Action", "defaultAction", "string", ""),
    specColumn("Logs", "logs", "boolean", false),
    specColumn("Trace", "trace", "boolean", false),
    readyColumn,
  ],
  rules: addressGroupRules,
  openapi: {
    description: "AddressGroup is a named set of hosts and networks with a default verdict for traffic no rule matches.",
    spec: object(
      "AddressGroupSpec is the desired state of an AddressGroup.",
      {
        defaultAction: actionSchema,
        logs: boolSchema("Log traffic matched by the default action."),
        trace: boolSchema("Trace traffic matched by the default action."),
        hosts: listSchema(
          refWithDescription(blockNames.objectReference, "A Host (kind: Host) in the same namespace."),
          "Hosts that belong to the group; a Host belongs to at most one group.",
        ),
      },
      ["defaultAction"],
    ),
    status: {
      addressGroupName: readOnlySchema(strSchema('Name of the group in sgroups: "<namespace>/<name>". Computed by the server.')),
    },
    root: {
      networks: readOnlySchema(listSchema(ref(blockNames.networkItem), "Networks attached through NetworkBindings. Maintained by the server; ignored on input.")),
      xAggregatedHosts: readOnlySchema(listSchema(ref(blockNames.hostReference), "Hosts of the group. Maintained by the server; ignored on input.")),
    },
  },
  derive: addressGroupDerive,
  // upstream's `description` has no Kubernetes field; networks and aggregated hosts are derived
  upstream: {
    table: "address_groups",
    order: 10,
    spec: [
      ["defaultAction", text("default_action")],
      ["logs", flag("logs")],
      ["trace", flag("trace")],
      ["hosts", refList("Host", "hosts")],
    ],
  },
});
