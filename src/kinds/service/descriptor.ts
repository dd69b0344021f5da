/**
 * The Service kind: a set of ingress ports that can be placed into AddressGroups (directly or by
 * AddressGroupBindings) and connected by RuleS2S rules. Everything kind-specific about it is here
 * or imported from this folder.
 */
import * as pb from "../../gen/netguard/v1/resources_pb.ts";
import { ResourceKind } from "../../gen/netguard/v1/service_pb.ts";
import { ingressPorts, optionalText, refList } from "../../import/row-decoders.ts";
import { ADDRESS_GROUP_KIND } from "../address-group/kind-name.ts";
import { enumOf, listOf, messageOf, namespacedRef, present, str, typedRef, type Codec } from "../codecs.ts";
import { readyColumn, specValue } from "../columns.ts";
import { defineKind, field, path, type KindDescriptor } from "../kind-descriptor.ts";
import { blockNames, namespacedRefTo } from "../openapi/block-names.ts";
import { descriptionSchema, readOnlySchema } from "../openapi/kind-schema-parts.ts";
import { listOf as listSchema, object, ref } from "../openapi/schema-types.ts";
import { transportCodec } from "../wire-enums.ts";
import { SERVICE_KIND } from "./kind-name.ts";
import { serviceDerive } from "./service-derive.ts";
import { serviceRules } from "./service-rules.ts";

const ingressPort = messageOf([
  ["protocol", "protocol", transportCodec],
  ["port", "port", str],
  ["description", "description", present(str)],
]);

/** `xAggregatedAddressGroups` items: a group reference and where the membership comes from. */
const aggregatedGroup: Codec = messageOf([
  ["ref", "ref", namespacedRef],
  ["source", "source", enumOf({ spec: 0, binding: 1 }, false)],
]);

const portsCell = (o: Record<string, unknown>): string => {
  const ports = (o.spec as { ingressPorts?: { protocol?: string; port?: string }[] } | undefined)?.ingressPorts ?? [];
  return ports.map((x) => `${x.protocol ?? "TCP"}/${x.port ?? ""}`).join(",");
};

/** Service: see the file comment. */
export const SERVICE: KindDescriptor = defineKind({
  kind: SERVICE_KIND,
  plural: "services",
  singular: "service",
  shortNames: ["ngsvc"],
  resourceKind: ResourceKind.SERVICE,
  schema: pb.ServiceSchema,
  fields: [
    field("spec.description", "description", present(str)),
    field("spec.ingressPorts", "ingressPorts", listOf(ingressPort)),
    field("spec.addressGroups", "addressGroups", listOf(typedRef(ADDRESS_GROUP_KIND))),
    field("xAggregatedAddressGroups", "aggregatedAddressGroups", listOf(aggregatedGroup)),
  ],
  immutable: [],
  readOnly: [path("xAggregatedAddressGroups")],
  statusFields: [],
  columns: [
    { name: "Ports", type: "string", priority: 0, description: "Ingress ports as protocol/port", cell: portsCell },
    { name: "Description", type: "string", priority: 1, description: "spec.description", cell: specValue("description", "") },
    readyColumn,
  ],
  rules: serviceRules,
  openapi: {
    description: "Service is a set of ingress ports that can be placed into AddressGroups and connected by RuleS2S rules.",
    spec: object("ServiceSpec is the desired state of a Service.", {
      description: descriptionSchema,
      ingressPorts: listSchema(ref(blockNames.ingressPort), "Ports the Service accepts traffic on. No duplicates and no overlapping ranges per protocol."),
      addressGroups: listSchema(
        namespacedRefTo(ADDRESS_GROUP_KIND, "AddressGroup the Service is registered in directly."),
        "AddressGroups the Service is registered in directly (each must exist, no duplicates).",
      ),
    }),
    root: {
      xAggregatedAddressGroups: readOnlySchema(
        listSchema(
          ref(blockNames.addressGroupReference),
          "Every AddressGroup the Service belongs to, from spec.addressGroups and from bindings. Maintained by the server; ignored on input.",
        ),
      ),
    },
  },
  derive: serviceDerive,
  // upstream's aggregated_address_groups is derived (this server recomputes it)
  upstream: {
    table: "services",
    order: 20,
    spec: [
      ["description", optionalText("description")],
      ["ingressPorts", ingressPorts("ingress_ports")],
      ["addressGroups", refList(ADDRESS_GROUP_KIND, "address_groups")],
    ],
  },
});
