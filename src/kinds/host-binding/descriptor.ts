/**
 * The HostBinding kind: puts a Host into an AddressGroup (a Host is bound at most once, and not
 * while a group lists it in `spec.hosts`). Both references are immutable.
 */
import * as pb from "../../gen/netguard/v1/resources_pb.ts";
import { ResourceKind } from "../../gen/netguard/v1/service_pb.ts";
import { ADDRESS_GROUP_KIND } from "../address-group/kind-name.ts";
import { flatRef } from "../../import/row-decoders.ts";
import { namespacedRefOf } from "../codecs.ts";
import { readyColumn, refColumn } from "../columns.ts";
import { HOST_KIND } from "../host/kind-name.ts";
import { defineKind, field, path, type KindDescriptor } from "../kind-descriptor.ts";
import { namespacedRefTo } from "../openapi/block-names.ts";
import { object } from "../openapi/schema-types.ts";
import { hostBindingDerive } from "./host-binding-derive.ts";
import { hostBindingRules } from "./host-binding-rules.ts";
import { HOST_BINDING_KIND } from "./kind-name.ts";

/** HostBinding: see the file comment. */
export const HOST_BINDING: KindDescriptor = defineKind({
  kind: HOST_BINDING_KIND,
  plural: "hostbindings",
  singular: "hostbinding",
  shortNames: ["hb"],
  resourceKind: ResourceKind.HOST_BINDING,
  schema: pb.HostBindingSchema,
  fields: [
    field("spec.hostRef", "hostRef", namespacedRefOf(HOST_KIND)),
    field("spec.addressGroupRef", "addressGroupRef", namespacedRefOf(ADDRESS_GROUP_KIND)),
  ],
  immutable: [path("spec.hostRef"), path("spec.addressGroupRef")],
  readOnly: [],
  statusFields: [],
  columns: [
    refColumn(HOST_KIND, "spec.hostRef.name", "The bound Host"),
    refColumn(ADDRESS_GROUP_KIND, "spec.addressGroupRef.name", "The AddressGroup the Host is bound to"),
    readyColumn,
  ],
  rules: hostBindingRules,
  openapi: {
    description: "HostBinding puts a Host into an AddressGroup; a Host belongs to at most one AddressGroup.",
    spec: object(
      "HostBindingSpec names the Host and the AddressGroup. Both references are immutable.",
      {
        hostRef: namespacedRefTo(HOST_KIND, "The Host to bind."),
        addressGroupRef: namespacedRefTo(ADDRESS_GROUP_KIND, "The AddressGroup to put it into."),
      },
      ["hostRef", "addressGroupRef"],
    ),
  },
  derive: hostBindingDerive,
  upstream: {
    table: "host_bindings",
    order: 56,
    spec: [
      ["hostRef", flatRef(HOST_KIND, "host_namespace", "host_name")],
      ["addressGroupRef", flatRef(ADDRESS_GROUP_KIND, "address_group_namespace", "address_group_name")],
    ],
  },
});
