/**
 * The Host kind: a machine (upstream's agent) identified by its UUID, put into one AddressGroup
 * by a HostBinding or by the group's `spec.hosts`. `spec.uuid` is immutable; the status says
 * whether and where it is bound; `xIPList` carries the addresses synchronisation reports.
 */
import * as pb from "../../gen/netguard/v1/resources_pb.ts";
import { ResourceKind } from "../../gen/netguard/v1/service_pb.ts";
import { ADDRESS_GROUP_KIND } from "../address-group/kind-name.ts";
import { text } from "../../import/row-decoders.ts";
import { bool, listOf, messageOf, objectRef, optionalMessage, str } from "../codecs.ts";
import { readyColumn, specColumn } from "../columns.ts";
import { defineKind, field, path, type KindDescriptor } from "../kind-descriptor.ts";
import { blockNames } from "../openapi/block-names.ts";
import { readOnlySchema } from "../openapi/kind-schema-parts.ts";
import { bool as boolSchema, listOf as listSchema, object, refWithDescription, str as strSchema } from "../openapi/schema-types.ts";
import { hostDerive } from "./host-derive.ts";
import { hostRules, MAX_HOST_IPS, MAX_HOST_NAME } from "./host-rules.ts";
import { HOST_KIND } from "./kind-name.ts";

const ipItem = messageOf([["ip", "ip", str]]);

const statusCell = (key: string) => (o: Record<string, unknown>) => (o.status as Record<string, unknown> | undefined)?.[key];

/** Host: see the file comment. */
export const HOST: KindDescriptor = defineKind({
  kind: HOST_KIND,
  plural: "hosts",
  singular: "host",
  shortNames: ["ngh"],
  resourceKind: ResourceKind.HOST,
  schema: pb.HostSchema,
  fields: [
    field("spec.uuid", "uuid", str),
    field("status.hostName", "hostNameSync", str),
    field("status.addressGroupName", "addressGroupName", str),
    field("status.isBound", "isBound", bool),
    field("status.bindingRef", "bindingRef", optionalMessage(objectRef)),
    field("status.addressGroupRef", "addressGroupRef", optionalMessage(objectRef)),
    field("xIPList", "ipList", listOf(ipItem)),
  ],
  immutable: [path("spec.uuid")],
  readOnly: [path("status.addressGroupName"), path("status.isBound"), path("status.bindingRef"), path("status.addressGroupRef")],
  statusFields: [path("status.hostName"), path("status.addressGroupName"), path("status.isBound"), path("status.bindingRef"), path("status.addressGroupRef")],
  columns: [
    specColumn("UUID", "uuid", "string", ""),
    { name: "Bound", type: "boolean", priority: 0, description: "status.isBound", cell: (o) => statusCell("isBound")(o) === true },
    { name: ADDRESS_GROUP_KIND, type: "string", priority: 0, description: "status.addressGroupName", cell: (o) => String(statusCell("addressGroupName")(o) ?? "") },
    readyColumn,
  ],
  rules: hostRules,
  openapi: {
    description: "Host is a machine identified by its UUID; a HostBinding or an AddressGroup's spec.hosts puts it into one AddressGroup.",
    spec: object("HostSpec is the desired state of a Host. uuid is immutable.", { uuid: strSchema("The Host's UUID (8-4-4-4-12 hexadecimal digits), unique across all Hosts.") }, ["uuid"]),
    status: {
      hostName: strSchema("Name used for synchronisation.", { maxLength: MAX_HOST_NAME }),
      addressGroupName: readOnlySchema(strSchema('The AddressGroup holding the Host, "<namespace>/<name>". Computed by the server.')),
      isBound: readOnlySchema(boolSchema("Whether an AddressGroup holds the Host. Computed by the server.")),
      bindingRef: readOnlySchema(refWithDescription(blockNames.objectReference, "The HostBinding holding the Host, when one does. Computed by the server.")),
      addressGroupRef: readOnlySchema(refWithDescription(blockNames.objectReference, "The AddressGroup holding the Host. Computed by the server.")),
    },
    root: {
      xIPList: listSchema(object("IPItem is one address of a Host.", { ip: strSchema("An IPv4 or IPv6 address.") }, ["ip"]), `Addresses of the Host, as synchronisation reports them (at most ${MAX_HOST_IPS}).`),
    },
  },
  derive: hostDerive,
  // before AddressGroups, whose spec.hosts name Hosts; binding status is derived here
  upstream: { table: "hosts", order: 5, spec: [["uuid", text("uuid")]] },
});
