/**
 * The ServiceAlias kind: another name for a Service in the same namespace (old manifests point
 * RuleS2S at aliases). The reference is immutable.
 */
import * as pb from "../../gen/netguard/v1/resources_pb.ts";
import { ResourceKind } from "../../gen/netguard/v1/service_pb.ts";
import { flatRef } from "../../import/row-decoders.ts";
import { typedRef } from "../codecs.ts";
import { readyColumn, refColumn } from "../columns.ts";
import { defineKind, field, path, type KindDescriptor } from "../kind-descriptor.ts";
import { namespacedRefTo } from "../openapi/block-names.ts";
import { object } from "../openapi/schema-types.ts";
import { SERVICE_KIND } from "../service/kind-name.ts";
import { SERVICE_ALIAS_KIND } from "./kind-name.ts";
import { serviceAliasRules } from "./service-alias-rules.ts";

/** ServiceAlias: see the file comment. */
export const SERVICE_ALIAS: KindDescriptor = defineKind({
  kind: SERVICE_ALIAS_KIND,
  plural: "servicealiases",
  singular: "servicealias",
  shortNames: ["ngsa"],
  resourceKind: ResourceKind.SERVICE_ALIAS,
  schema: pb.ServiceAliasSchema,
  fields: [field("spec.serviceRef", "serviceRef", typedRef(SERVICE_KIND))],
  immutable: [path("spec.serviceRef")],
  readOnly: [],
  statusFields: [],
  columns: [refColumn(SERVICE_KIND, "spec.serviceRef.name", "Aliased Service"), readyColumn],
  rules: serviceAliasRules,
  openapi: {
    description: "ServiceAlias is another name for a Service in the same namespace.",
    spec: object(
      "ServiceAliasSpec names the aliased Service. The reference is immutable.",
      { serviceRef: namespacedRefTo(SERVICE_KIND, "The aliased Service, in the alias's namespace.") },
      ["serviceRef"],
    ),
  },
  // an alias influences others only by existing (readiness of what references it)
  derive: {},
  upstream: {
    table: "service_aliases",
    order: 60,
    spec: [["serviceRef", flatRef(SERVICE_KIND, "service_namespace", "service_name")]],
  },
});
