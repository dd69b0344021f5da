/**
 * The IEAgAgRule kind: an ingress/egress rule between two AddressGroups, usually generated from
 * RuleS2S. transport, traffic and both group references are immutable.
 */
import * as pb from "../../gen/netguard/v1/resources_pb.ts";
import { ResourceKind } from "../../gen/netguard/v1/service_pb.ts";
import { ADDRESS_GROUP_KIND } from "../address-group/kind-name.ts";
import { bool, int, present, ruleDestinationPorts, str, typedRef } from "../codecs.ts";
import { readyColumn, refColumn, specColumn } from "../columns.ts";
import { defineKind, field, path, type KindDescriptor } from "../kind-descriptor.ts";
import { blockNames, namespacedRefTo } from "../openapi/block-names.ts";
import { actionSchema, descriptionSchema, trafficSchema } from "../openapi/kind-schema-parts.ts";
import { bool as boolSchema, enumOf, int32, listOf as listSchema, object, ref } from "../openapi/schema-types.ts";
import { PROTOCOLS } from "../../domain/domain-values.ts";
import { actionCodec, trafficCodec, transportCodec } from "../wire-enums.ts";
import { ieAgAgRuleDerive } from "./ieagag-rule-derive.ts";
import { ieAgAgRuleRules } from "./ieagag-rule-rules.ts";
import { IEAGAG_RULE_KIND } from "./kind-name.ts";

/** IEAgAgRule: see the file comment. */
export const IEAGAG_RULE: KindDescriptor = defineKind({
  kind: IEAGAG_RULE_KIND,
  plural: "ieagagrules",
  singular: "ieagagrule",
  shortNames: ["ieagag"],
  resourceKind: ResourceKind.IEAGAG_RULE,
  schema: pb.IEAgAgRuleSchema,
  resourceCase: "ieagagRule",
  syncCase: "ieagagRules",
  listMethod: "ListIEAgAgRules",
  getMethod: "GetIEAgAgRule",
  watchMethod: "WatchIEAgAgRules",
  fields: [
    field("spec.description", "description", present(str)),
    field("spec.transport", "transport", transportCodec),
    field("spec.traffic", "traffic", trafficCodec),
    field("spec.addressGroupLocal", "addressGroupLocal", typedRef(ADDRESS_GROUP_KIND)),
    field("spec.addressGroup", "addressGroup", typedRef(ADDRESS_GROUP_KIND)),
    field("spec.ports", "ports", ruleDestinationPorts),
    field("spec.action", "action", actionCodec),
    field("spec.logs", "logs", present(bool)),
    field("spec.priority", "priority", present(int)),
    field("spec.trace", "trace", present(bool)),
  ],
  immutable: [path("spec.transport"), path("spec.traffic"), path("spec.addressGroupLocal"), path("spec.addressGroup")],
  readOnly: [],
  statusFields: [],
  columns: [
    specColumn("Traffic", "traffic", "string", ""),
    specColumn("Action", "action", "string", ""),
    specColumn("Transport", "transport", "string", "", 1),
    refColumn("Local AG", "spec.addressGroupLocal.name", "spec.addressGroupLocal", 1),
    refColumn("AG", "spec.addressGroup.name", "spec.addressGroup", 1),
    readyColumn,
  ],
  rules: ieAgAgRuleRules,
  openapi: {
    description: "IEAgAgRule is an ingress/egress rule between two AddressGroups, usually generated from RuleS2S.",
    spec: object(
      "IEAgAgRuleSpec is the desired state of an IEAgAgRule. transport, traffic, addressGroupLocal and addressGroup are immutable.",
      {
        description: descriptionSchema,
        transport: enumOf(PROTOCOLS, "Transport protocol: TCP or UDP."),
        traffic: trafficSchema,
        addressGroupLocal: namespacedRefTo(ADDRESS_GROUP_KIND, "The local AddressGroup."),
        addressGroup: namespacedRefTo(ADDRESS_GROUP_KIND, "The remote AddressGroup."),
        ports: listSchema(ref(blockNames.portSpec), "Destination ports; each entry sets exactly one of port or portRange."),
        action: actionSchema,
        logs: boolSchema("Log matched traffic."),
        priority: int32("Rule priority, >= 0.", { minimum: 0 }),
        trace: boolSchema("Trace matched traffic."),
      },
      ["transport", "traffic", "addressGroupLocal", "addressGroup"],
    ),
  },
  derive: ieAgAgRuleDerive,
});
