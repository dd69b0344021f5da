/**
 * The AddressGroupBindingPolicy kind: in an AddressGroup's namespace, allows a Service of another
 * namespace to be bound to that AddressGroup. Both references are immutable.
 */
import * as pb from "../../gen/netguard/v1/resources_pb.ts";
import { ResourceKind } from "../../gen/netguard/v1/service_pb.ts";
import { refColumn as upstreamRef } from "../../import/row-decoders.ts";
import { ADDRESS_GROUP_KIND } from "../address-group/kind-name.ts";
import { typedRef } from "../codecs.ts";
import { readyColumn, refColumn } from "../columns.ts";
import { defineKind, field, path, type KindDescriptor } from "../kind-descriptor.ts";
import { namespacedRefTo } from "../openapi/block-names.ts";
import { object } from "../openapi/schema-types.ts";
import { SERVICE_KIND } from "../service/kind-name.ts";
import { addressGroupBindingPolicyRules } from "./address-group-binding-policy-rules.ts";
import { ADDRESS_GROUP_BINDING_POLICY_KIND } from "./kind-name.ts";

/** AddressGroupBindingPolicy: see the file comment. */
export const ADDRESS_GROUP_BINDING_POLICY: KindDescriptor = defineKind({
  kind: ADDRESS_GROUP_BINDING_POLICY_KIND,
  plural: "addressgroupbindingpolicies",
  singular: "addressgroupbindingpolicy",
  shortNames: ["agbp"],
  resourceKind: ResourceKind.ADDRESS_GROUP_BINDING_POLICY,
  schema: pb.AddressGroupBindingPolicySchema,
  fields: [
    field("spec.addressGroupRef", "addressGroupRef", typedRef(ADDRESS_GROUP_KIND)),
    field("spec.serviceRef", "serviceRef", typedRef(SERVICE_KIND)),
  ],
  immutable: [path("spec.addressGroupRef"), path("spec.serviceRef")],
  readOnly: [],
  statusFields: [],
  columns: [
    refColumn(SERVICE_KIND, "spec.serviceRef.name", "Allowed Service", 1),
    refColumn("Service Namespace", "spec.serviceRef.namespace", "Namespace of the allowed Service", 1),
    refColumn(ADDRESS_GROUP_KIND, "spec.addressGroupRef.name", "AddressGroup the policy opens", 1),
    readyColumn,
  ],
  rules: addressGroupBindingPolicyRules,
  openapi: {
    description:
      "AddressGroupBindingPolicy, in an AddressGroup's namespace, allows a Service of another namespace to be bound to that AddressGroup.",
    spec: object(
      "AddressGroupBindingPolicySpec names the AddressGroup and the Service. Both references are immutable.",
      {
        addressGroupRef: namespacedRefTo(ADDRESS_GROUP_KIND, "The AddressGroup, in the policy's namespace."),
        serviceRef: namespacedRefTo(SERVICE_KIND, "The Service allowed to bind to it."),
      },
      ["addressGroupRef", "serviceRef"],
    ),
  },
  // a policy influences others only by existing (validation of cross-namespace bindings)
  derive: {},
  // before bindings: a cross-namespace binding needs its policy
  upstream: {
    table: "address_group_binding_policies",
    order: 40,
    spec: [
      ["addressGroupRef", upstreamRef(ADDRESS_GROUP_KIND, "address_group_ref")],
      ["serviceRef", upstreamRef(SERVICE_KIND, "service_ref")],
    ],
  },
});
