/**
 * The Network kind: a CIDR that a NetworkBinding attaches to an AddressGroup of its namespace.
 * `spec.cidr` is immutable (upstream forbids changing it once the Network is Ready, which it is from
 * creation here); the status says whether and where it is bound. Everything kind-specific about it
 * is here or imported from this folder.
 */
import * as pb from "../../gen/netguard/v1/resources_pb.ts";
import { ResourceKind } from "../../gen/netguard/v1/service_pb.ts";
import { ADDRESS_GROUP_KIND } from "../address-group/kind-name.ts";
import { text } from "../../import/row-decoders.ts";
import { bool, objectRef, optionalMessage, str } from "../codecs.ts";
import { readyColumn, refColumn, specColumn } from "../columns.ts";
import { defineKind, field, path, type KindDescriptor } from "../kind-descriptor.ts";
import { blockNames } from "../openapi/block-names.ts";
import { readOnlySchema } from "../openapi/kind-schema-parts.ts";
import { bool as boolSchema, object, refWithDescription, str as strSchema } from "../openapi/schema-types.ts";
import { NETWORK_KIND } from "./kind-name.ts";
import { networkDerive } from "./network-derive.ts";
import { networkRules } from "./network-rules.ts";

const boundCell = (o: Record<string, unknown>): boolean => (o.status as { isBound?: unknown } | undefined)?.isBound === true;

/** Network: see the file comment. */
export const NETWORK: KindDescriptor = defineKind({
  kind: NETWORK_KIND,
  plural: "networks",
  singular: "network",
  shortNames: ["net"],
  resourceKind: ResourceKind.NETWORK,
  schema: pb.NetworkSchema,
  fields: [
    field("spec.cidr", "cidr", str),
    field("status.isBound", "isBound", bool),
    field("status.bindingRef", "bindingRef", optionalMessage(objectRef)),
    field("status.addressGroupRef", "addressGroupRef", optionalMessage(objectRef)),
  ],
  immutable: [path("spec.cidr")],
  readOnly: [path("status.isBound"), path("status.bindingRef"), path("status.addressGroupRef")],
  statusFields: [path("status.isBound"), path("status.bindingRef"), path("status.addressGroupRef")],
  columns: [
    specColumn("CIDR", "cidr", "string", ""),
    { name: "Bound", type: "boolean", priority: 0, description: "status.isBound", cell: boundCell },
    refColumn(ADDRESS_GROUP_KIND, "status.addressGroupRef.name", "The AddressGroup the Network is bound to", 1),
    readyColumn,
  ],
  rules: networkRules,
  openapi: {
    description: "Network is a CIDR that a NetworkBinding attaches to an AddressGroup of the same namespace.",
    spec: object(
      "NetworkSpec is the desired state of a Network. cidr is immutable.",
      { cidr: strSchema('The network in CIDR notation ("10.0.0.0/24", "2001:db8::/32"), without host bits; unique across all Networks.') },
      ["cidr"],
    ),
    status: {
      isBound: readOnlySchema(boolSchema("Whether a NetworkBinding binds the Network. Computed by the server.")),
      bindingRef: readOnlySchema(refWithDescription(blockNames.objectReference, "The NetworkBinding binding the Network. Computed by the server.")),
      addressGroupRef: readOnlySchema(refWithDescription(blockNames.objectReference, "The AddressGroup the Network is bound to. Computed by the server.")),
    },
  },
  derive: networkDerive,
  // binding status is derived here from the bindings
  upstream: { table: "networks", order: 15, spec: [["cidr", text("cidr")]] },
});
