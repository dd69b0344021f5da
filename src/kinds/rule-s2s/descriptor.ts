/**
 * The RuleS2S kind: allows traffic between two Services; the server generates IEAgAgRules from it
 * for their AddressGroups. traffic and both Service references are immutable.
 */
import * as pb from "../../gen/netguard/v1/resources_pb.ts";
import { ResourceKind } from "../../gen/netguard/v1/service_pb.ts";
import { flag, refColumn as upstreamRef, text } from "../../import/row-decoders.ts";
import { bool, legacyIdentifiers, listOf, namespacedRef, present, typedRef } from "../codecs.ts";
import { readyColumn, refColumn, specColumn } from "../columns.ts";
import { defineKind, field, path, type KindDescriptor } from "../kind-descriptor.ts";
import { blockNames, namespacedRefTo } from "../openapi/block-names.ts";
import { trafficSchema } from "../openapi/kind-schema-parts.ts";
import { bool as boolSchema, listOf as listSchema, object, ref } from "../openapi/schema-types.ts";
import { SERVICE_KIND } from "../service/kind-name.ts";
import { trafficCodec } from "../wire-enums.ts";
import { RULE_S2S_KIND } from "./kind-name.ts";
import { ruleS2SDerive } from "./rule-s2s-derive.ts";
import { ruleS2SRules } from "./rule-s2s-rules.ts";

/** RuleS2S: see the file comment. */
export const RULE_S2S: KindDescriptor = defineKind({
  kind: RULE_S2S_KIND,
  plural: "rules2s",
  singular: "rules2s",
  shortNames: ["rs2s"],
  resourceKind: ResourceKind.RULE_S2S,
  schema: pb.RuleS2SSchema,
  fields: [
    field("spec.traffic", "traffic", trafficCodec),
    field("spec.serviceLocalRef", "serviceLocalRef", typedRef(SERVICE_KIND)),
    field("spec.serviceRef", "serviceRef", typedRef(SERVICE_KIND)),
    field("spec.trace", "trace", present(bool)),
    field("status.ieAgAgRuleRefs", "ieagAgRuleObjectRefs", listOf(namespacedRef)),
    // Upstream's deprecated field 5, the same rules as identifiers (write-only mirror).
    field("status.ieAgAgRuleRefs", "ieagAgRuleRefs", legacyIdentifiers),
  ],
  immutable: [path("spec.traffic"), path("spec.serviceLocalRef"), path("spec.serviceRef")],
  // the generated IEAgAgRules this rule contributes to (rule-s2s-derive.ts)
  readOnly: [path("status.ieAgAgRuleRefs")],
  statusFields: [path("status.ieAgAgRuleRefs")],
  columns: [
    specColumn("Traffic", "traffic", "string", ""),
    refColumn("Local Service", "spec.serviceLocalRef.name", "spec.serviceLocalRef", 1),
    refColumn(SERVICE_KIND, "spec.serviceRef.name", "spec.serviceRef", 1),
    readyColumn,
  ],
  rules: ruleS2SRules,
  openapi: {
    description: "RuleS2S allows traffic between two Services; the server generates IEAgAgRules from it for their AddressGroups.",
    spec: object(
      "RuleS2SSpec is the desired state of a RuleS2S. traffic, serviceLocalRef and serviceRef are immutable.",
      {
        traffic: trafficSchema,
        serviceLocalRef: namespacedRefTo(SERVICE_KIND, "The local Service, in the rule's namespace."),
        serviceRef: namespacedRefTo(SERVICE_KIND, "The remote Service (may be in another namespace)."),
        trace: boolSchema("Trace traffic matched by the generated rules."),
      },
      ["traffic", "serviceLocalRef", "serviceRef"],
    ),
    status: {
      ieAgAgRuleRefs: listSchema(ref(blockNames.namespacedObjectReference), "IEAgAgRules generated for this rule."),
    },
  },
  derive: ruleS2SDerive,
  // upstream's ieagag_rule_refs is derived (status.ieAgAgRuleRefs)
  upstream: {
    table: "rule_s2s",
    order: 70,
    spec: [
      ["traffic", text("traffic")],
      ["serviceLocalRef", upstreamRef(SERVICE_KIND, "service_local_ref")],
      ["serviceRef", upstreamRef(SERVICE_KIND, "service_ref")],
      ["trace", flag("trace")],
    ],
  },
});
