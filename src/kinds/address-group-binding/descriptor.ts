/**
 * The AddressGroupBinding kind: places a Service into an AddressGroup (across namespaces only when
 * an AddressGroupBindingPolicy allows it). Both references are immutable.
 */
import * as pb from "../../gen/netguard/v1/resources_pb.ts";
import { ResourceKind } from "../../gen/netguard/v1/service_pb.ts";
import { flatRef } from "../../import/row-decoders.ts";
import { ADDRESS_GROUP_KIND } from "../address-group/kind-name.ts";
import { typedRef } from "../codecs.ts";
import { readyColumn, refColumn } from "../columns.ts";
import { defineKind, field, path, type KindDescriptor } from "../kind-descriptor.ts";
import { namespacedRefTo } from "../openapi/block-names.ts";
import { object } from "../openapi/schema-types.ts";
import { SERVICE_KIND } from "../service/kind-name.ts";
import { addressGroupBindingDerive } from "./address-group-binding-derive.ts";
import { addressGroupBindingRules } from "./address-group-binding-rules.ts";
import { ADDRESS_GROUP_BINDING_KIND } from "./kind-name.ts";

/** AddressGroupBinding: see the file comment. */
export const ADDRESS_GROUP_BINDING: KindDescriptor = defineKind({
  kind: ADDRESS_GROUP_BINDING_KIND,
  plural: "addressgroupbindings",
  singular: "addressgroupbinding",
  shortNames: ["agb"],
  resourceKind: ResourceKind.ADDRESS_GROUP_BINDING,
  schema: pb.AddressGroupBindingSchema,
  fields: [
    field("spec.serviceRef", "serviceRef", typedRef(SERVICE_KIND)),
    field("spec.addressGroupRef", "addressGroupRef", typedRef(ADDRESS_GROUP_KIND)),
  ],
  immutable: [path("spec.serviceRef"), path("spec.addressGroupRef")],
  readOnly: [],
  statusFields: [],
  columns: [
    refColumn(SERVICE_KIND, "spec.serviceRef.name", "Bound Service"),
    refColumn(ADDRESS_GROUP_KIND, "spec.addressGroupRef.name", "Target AddressGroup"),
    refColumn("AddressGroup Namespace", "spec.addressGroupRef.namespace", "Namespace of the AddressGroup", 1),
    readyColumn,
  ],
  rules: addressGroupBindingRules,
  openapi: {
    description: "AddressGroupBinding places a Service into an AddressGroup (across namespaces only when an AddressGroupBindingPolicy allows it).",
    spec: object(
      "AddressGroupBindingSpec names the Service and the AddressGroup. Both references are immutable.",
      {
        serviceRef: namespacedRefTo(SERVICE_KIND, "The Service to bind (in the binding's namespace)."),
        addressGroupRef: namespacedRefTo(ADDRESS_GROUP_KIND, "The AddressGroup to bind the Service to."),
      },
      ["serviceRef", "addressGroupRef"],
    ),
  },
  derive: addressGroupBindingDerive,
  upstream: {
    table: "address_group_bindings",
    order: 50,
    spec: [
      ["serviceRef", flatRef(SERVICE_KIND, "service_namespace", "service_name")],
      ["addressGroupRef", flatRef(ADDRESS_GROUP_KIND, "address_group_namespace", "address_group_name")],
    ],
  },
});
