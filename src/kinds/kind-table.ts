/**
 * The kind table: everything that differs between the eight netguard kinds — names, wire messages,
 * field mappings, table columns, validation rules — lives here as data. Storage, watch, RPC and REST
 * code is written once against `KindDescriptor`.
 */
import type { DescMessage } from "@bufbuild/protobuf";
import * as pb from "../gen/netguard/v1/resources_pb.ts";
import { ResourceKind } from "../gen/netguard/v1/service_pb.ts";
import {
  accessPorts,
  bool,
  enumOf,
  int,
  legacyIdentifiers,
  listOf,
  messageOf,
  namespacedRef,
  present,
  ruleDestinationPorts,
  str,
  typedRef,
  type Codec,
} from "./codecs.ts";

/** A mapped field: dotted Kubernetes path (e.g. "spec.ingressPorts"), protobuf-es field name, codec. */
export interface MappedField {
  path: readonly string[];
  proto: string;
  codec: Codec;
}

/** A table column beyond Name and Age (see domain-reference §6), rendered from the object. */
export interface ColumnSpec {
  name: string;
  type: "string" | "boolean" | "integer";
  /** 0: shown by default; 1: shown with -o wide. */
  priority: 0 | 1;
  description: string;
  cell(obj: Record<string, unknown>): string | boolean | number;
}

/** A reference field of a kind, to an object of another kind. */
export interface RefField {
  path: readonly string[];
  kind: string;
}

export interface KindDescriptor {
  kind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  listKind: string;
  resourceKind: ResourceKind;
  schema: DescMessage;
  /** protobuf-es name of this kind's case in `Resource.object` and of the Get response field. */
  resourceCase: string;
  /** protobuf-es name of this kind's case in `SyncReq.subject` and of its wrapper's list field. */
  syncCase: string;
  listMethod: string;
  getMethod: string;
  watchMethod: string;
  /** Spec, status and root-level fields (metadata, conditions and observedGeneration are generic). */
  fields: MappedField[];
  /** References to other kinds that must exist. */
  refs: RefField[];
  /** Fields that may not change after create. */
  immutable: readonly (readonly string[])[];
  /** Fields only the server writes (derived); ignored on input from clients. */
  readOnly: readonly (readonly string[])[];
  /**
   * Status fields beyond conditions/observedGeneration (the status schema). Those also listed in
   * `readOnly` are written by the server only; a status update cannot set them.
   */
  statusFields: readonly (readonly string[])[];
  columns: ColumnSpec[];
}

const p = (dotted: string): string[] => dotted.split(".");
const f = (dotted: string, proto: string, codec: Codec): MappedField => ({ path: p(dotted), proto, codec });

const transport = enumOf({ TCP: 0, UDP: 1 }, false);
const traffic = enumOf({ INGRESS: 0, EGRESS: 1 }, false);
const action = enumOf({ DROP: 1, ACCEPT: 2 }, true);
const agSource = enumOf({ spec: 0, binding: 1 }, false);

const ingressPort = messageOf([
  ["protocol", "protocol", transport],
  ["port", "port", str],
  ["description", "description", present(str)],
]);

const networkItem = messageOf([
  ["name", "name", str],
  ["cidr", "cidr", str],
  ["apiVersion", "apiVersion", str],
  ["kind", "kind", str],
  ["namespace", "namespace", str],
]);

const hostReference = messageOf([
  ["ref", "ref", namespacedRef],
  ["uuid", "uuid", str],
  ["source", "source", int],
]);

const agReference = messageOf([
  ["ref", "ref", namespacedRef],
  ["source", "source", agSource],
]);

const refName = (path: string) => (o: Record<string, unknown>): string => {
  let cur: unknown = o;
  for (const s of p(path)) cur = cur && typeof cur === "object" ? (cur as Record<string, unknown>)[s] : undefined;
  return typeof cur === "string" && cur ? cur : "unknown";
};
const specValue = (key: string, fallback: string | boolean) => (o: Record<string, unknown>) => {
  const v = (o.spec as Record<string, unknown> | undefined)?.[key];
  return (typeof v === "string" || typeof v === "boolean" ? v : fallback) as string | boolean;
};
const readyCell = (o: Record<string, unknown>): string => {
  const conds = (o.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions;
  return conds?.find((c) => c.type === "Ready")?.status ?? "";
};
const readyColumn: ColumnSpec = {
  name: "Ready",
  type: "string",
  priority: 1,
  description: "Status of the Ready condition",
  cell: readyCell,
};
const refColumn = (name: string, path: string, description: string, priority: 0 | 1 = 0): ColumnSpec => ({
  name,
  type: "string",
  priority,
  description,
  cell: refName(path),
});

const servicePorts = (o: Record<string, unknown>): string => {
  const ports = (o.spec as { ingressPorts?: { protocol?: string; port?: string }[] } | undefined)?.ingressPorts ?? [];
  return ports.map((x) => `${x.protocol ?? "TCP"}/${x.port ?? ""}`).join(",");
};

/** The eight kinds, in the order of their proto `Resource.object` cases. */
export const KINDS: readonly KindDescriptor[] = [
  {
    kind: "Service",
    plural: "services",
    singular: "service",
    shortNames: ["ngsvc"],
    listKind: "ServiceList",
    resourceKind: ResourceKind.SERVICE,
    schema: pb.ServiceSchema,
    resourceCase: "service",
    syncCase: "services",
    listMethod: "ListServices",
    getMethod: "GetService",
    watchMethod: "WatchServices",
    fields: [
      f("spec.description", "description", present(str)),
      f("spec.ingressPorts", "ingressPorts", listOf(ingressPort)),
      f("spec.addressGroups", "addressGroups", listOf(typedRef("AddressGroup"))),
      f("xAggregatedAddressGroups", "aggregatedAddressGroups", listOf(agReference)),
    ],
    refs: [{ path: p("spec.addressGroups"), kind: "AddressGroup" }],
    immutable: [],
    readOnly: [p("xAggregatedAddressGroups")],
    statusFields: [],
    columns: [
      { name: "Ports", type: "string", priority: 0, description: "Ingress ports as protocol/port", cell: servicePorts },
      { name: "Description", type: "string", priority: 1, description: "spec.description", cell: specValue("description", "") as never },
      readyColumn,
    ],
  },
  {
    kind: "AddressGroup",
    plural: "addressgroups",
    singular: "addressgroup",
    shortNames: ["ag"],
    listKind: "AddressGroupList",
    resourceKind: ResourceKind.ADDRESS_GROUP,
    schema: pb.AddressGroupSchema,
    resourceCase: "addressGroup",
    syncCase: "addressGroups",
    listMethod: "ListAddressGroups",
    getMethod: "GetAddressGroup",
    watchMethod: "WatchAddressGroups",
    fields: [
      f("spec.defaultAction", "defaultAction", action),
      f("spec.logs", "logs", present(bool)),
      f("spec.trace", "trace", present(bool)),
      f("spec.hosts", "hosts", listOf(namespacedRef)),
      f("status.addressGroupName", "addressGroupName", str),
      f("networks", "networks", listOf(networkItem)),
      f("xAggregatedHosts", "aggregatedHosts", listOf(hostReference)),
    ],
    refs: [],
    immutable: [],
    readOnly: [p("networks"), p("xAggregatedHosts"), p("status.addressGroupName")],
    statusFields: [],
    columns: [
      { name: "Default Action", type: "string", priority: 0, description: "spec.defaultAction", cell: specValue("defaultAction", "") },
      { name: "Logs", type: "boolean", priority: 0, description: "spec.logs", cell: specValue("logs", false) },
      { name: "Trace", type: "boolean", priority: 0, description: "spec.trace", cell: specValue("trace", false) },
      readyColumn,
    ],
  },
  {
    kind: "AddressGroupBinding",
    plural: "addressgroupbindings",
    singular: "addressgroupbinding",
    shortNames: ["agb"],
    listKind: "AddressGroupBindingList",
    resourceKind: ResourceKind.ADDRESS_GROUP_BINDING,
    schema: pb.AddressGroupBindingSchema,
    resourceCase: "addressGroupBinding",
    syncCase: "addressGroupBindings",
    listMethod: "ListAddressGroupBindings",
    getMethod: "GetAddressGroupBinding",
    watchMethod: "WatchAddressGroupBindings",
    fields: [
      f("spec.serviceRef", "serviceRef", typedRef("Service")),
      f("spec.addressGroupRef", "addressGroupRef", typedRef("AddressGroup")),
    ],
    refs: [
      { path: p("spec.serviceRef"), kind: "Service" },
      { path: p("spec.addressGroupRef"), kind: "AddressGroup" },
    ],
    immutable: [p("spec.serviceRef"), p("spec.addressGroupRef")],
    readOnly: [],
    statusFields: [],
    columns: [
      refColumn("Service", "spec.serviceRef.name", "Bound Service"),
      refColumn("AddressGroup", "spec.addressGroupRef.name", "Target AddressGroup"),
      refColumn("AddressGroup Namespace", "spec.addressGroupRef.namespace", "Namespace of the AddressGroup", 1),
      readyColumn,
    ],
  },
  {
    kind: "AddressGroupPortMapping",
    plural: "addressgroupportmappings",
    singular: "addressgroupportmapping",
    shortNames: ["agpm"],
    listKind: "AddressGroupPortMappingList",
    resourceKind: ResourceKind.ADDRESS_GROUP_PORT_MAPPING,
    schema: pb.AddressGroupPortMappingSchema,
    resourceCase: "addressGroupPortMapping",
    syncCase: "addressGroupPortMappings",
    listMethod: "ListAddressGroupPortMappings",
    getMethod: "GetAddressGroupPortMapping",
    watchMethod: "WatchAddressGroupPortMappings",
    fields: [f("accessPorts", "accessPorts", accessPorts)],
    refs: [],
    immutable: [],
    // fully derived (src/backend/derive/access-ports.ts): clients may change labels/annotations only
    readOnly: [p("accessPorts")],
    statusFields: [],
    columns: [
      {
        name: "Services",
        type: "integer",
        priority: 1,
        description: "Number of Services with access ports",
        cell: (o) => ((o.accessPorts as { items?: unknown[] } | undefined)?.items ?? []).length,
      },
    ],
  },
  {
    kind: "RuleS2S",
    plural: "rules2s",
    singular: "rules2s",
    shortNames: ["rs2s"],
    listKind: "RuleS2SList",
    resourceKind: ResourceKind.RULE_S2S,
    schema: pb.RuleS2SSchema,
    resourceCase: "ruleS2s",
    syncCase: "ruleS2s",
    listMethod: "ListRuleS2S",
    getMethod: "GetRuleS2S",
    watchMethod: "WatchRuleS2S",
    fields: [
      f("spec.traffic", "traffic", traffic),
      f("spec.serviceLocalRef", "serviceLocalRef", typedRef("Service")),
      f("spec.serviceRef", "serviceRef", typedRef("Service")),
      f("spec.trace", "trace", present(bool)),
      f("status.ieAgAgRuleRefs", "ieagAgRuleObjectRefs", listOf(namespacedRef)),
      // Upstream's deprecated field 5, the same rules as identifiers (write-only mirror).
      f("status.ieAgAgRuleRefs", "ieagAgRuleRefs", legacyIdentifiers),
    ],
    refs: [
      { path: p("spec.serviceLocalRef"), kind: "Service" },
      { path: p("spec.serviceRef"), kind: "Service" },
    ],
    immutable: [p("spec.traffic"), p("spec.serviceLocalRef"), p("spec.serviceRef")],
    // the generated IEAgAgRules this rule contributes to (src/backend/derive/derived-fields.ts)
    readOnly: [p("status.ieAgAgRuleRefs")],
    statusFields: [p("status.ieAgAgRuleRefs")],
    columns: [
      { name: "Traffic", type: "string", priority: 0, description: "spec.traffic", cell: specValue("traffic", "") },
      refColumn("Local Service", "spec.serviceLocalRef.name", "spec.serviceLocalRef", 1),
      refColumn("Service", "spec.serviceRef.name", "spec.serviceRef", 1),
      readyColumn,
    ],
  },
  {
    kind: "ServiceAlias",
    plural: "servicealiases",
    singular: "servicealias",
    shortNames: ["ngsa"],
    listKind: "ServiceAliasList",
    resourceKind: ResourceKind.SERVICE_ALIAS,
    schema: pb.ServiceAliasSchema,
    resourceCase: "serviceAlias",
    syncCase: "serviceAliases",
    listMethod: "ListServiceAliases",
    getMethod: "GetServiceAlias",
    watchMethod: "WatchServiceAliases",
    fields: [f("spec.serviceRef", "serviceRef", typedRef("Service"))],
    refs: [{ path: p("spec.serviceRef"), kind: "Service" }],
    immutable: [p("spec.serviceRef")],
    readOnly: [],
    statusFields: [],
    columns: [refColumn("Service", "spec.serviceRef.name", "Aliased Service"), readyColumn],
  },
  {
    kind: "AddressGroupBindingPolicy",
    plural: "addressgroupbindingpolicies",
    singular: "addressgroupbindingpolicy",
    shortNames: ["agbp"],
    listKind: "AddressGroupBindingPolicyList",
    resourceKind: ResourceKind.ADDRESS_GROUP_BINDING_POLICY,
    schema: pb.AddressGroupBindingPolicySchema,
    resourceCase: "addressGroupBindingPolicy",
    syncCase: "addressGroupBindingPolicies",
    listMethod: "ListAddressGroupBindingPolicies",
    getMethod: "GetAddressGroupBindingPolicy",
    watchMethod: "WatchAddressGroupBindingPolicies",
    fields: [
      f("spec.addressGroupRef", "addressGroupRef", typedRef("AddressGroup")),
      f("spec.serviceRef", "serviceRef", typedRef("Service")),
    ],
    refs: [
      { path: p("spec.addressGroupRef"), kind: "AddressGroup" },
      { path: p("spec.serviceRef"), kind: "Service" },
    ],
    immutable: [p("spec.addressGroupRef"), p("spec.serviceRef")],
    readOnly: [],
    statusFields: [],
    columns: [
      refColumn("Service", "spec.serviceRef.name", "Allowed Service", 1),
      refColumn("Service Namespace", "spec.serviceRef.namespace", "Namespace of the allowed Service", 1),
      refColumn("AddressGroup", "spec.addressGroupRef.name", "AddressGroup the policy opens", 1),
      readyColumn,
    ],
  },
  {
    kind: "IEAgAgRule",
    plural: "ieagagrules",
    singular: "ieagagrule",
    shortNames: ["ieagag"],
    listKind: "IEAgAgRuleList",
    resourceKind: ResourceKind.IEAGAG_RULE,
    schema: pb.IEAgAgRuleSchema,
    resourceCase: "ieagagRule",
    syncCase: "ieagagRules",
    listMethod: "ListIEAgAgRules",
    getMethod: "GetIEAgAgRule",
    watchMethod: "WatchIEAgAgRules",
    fields: [
      f("spec.description", "description", present(str)),
      f("spec.transport", "transport", transport),
      f("spec.traffic", "traffic", traffic),
      f("spec.addressGroupLocal", "addressGroupLocal", typedRef("AddressGroup")),
      f("spec.addressGroup", "addressGroup", typedRef("AddressGroup")),
      f("spec.ports", "ports", ruleDestinationPorts),
      f("spec.action", "action", action),
      f("spec.logs", "logs", present(bool)),
      f("spec.priority", "priority", present(int)),
      f("spec.trace", "trace", present(bool)),
    ],
    refs: [
      { path: p("spec.addressGroupLocal"), kind: "AddressGroup" },
      { path: p("spec.addressGroup"), kind: "AddressGroup" },
    ],
    immutable: [p("spec.transport"), p("spec.traffic"), p("spec.addressGroupLocal"), p("spec.addressGroup")],
    readOnly: [],
    statusFields: [],
    columns: [
      { name: "Traffic", type: "string", priority: 0, description: "spec.traffic", cell: specValue("traffic", "") },
      { name: "Action", type: "string", priority: 0, description: "spec.action", cell: specValue("action", "") },
      { name: "Transport", type: "string", priority: 1, description: "spec.transport", cell: specValue("transport", "") },
      refColumn("Local AG", "spec.addressGroupLocal.name", "spec.addressGroupLocal", 1),
      refColumn("AG", "spec.addressGroup.name", "spec.addressGroup", 1),
      readyColumn,
    ],
  },
];

const byKind = new Map(KINDS.map((k) => [k.kind, k]));
const byPlural = new Map(KINDS.map((k) => [k.plural, k]));
const byResourceKind = new Map(KINDS.map((k) => [k.resourceKind, k]));
const byResourceCase = new Map(KINDS.map((k) => [k.resourceCase, k]));
const bySyncCase = new Map(KINDS.map((k) => [k.syncCase, k]));

/** Looks a kind up by its Kind name ("Service"). */
export function kindByName(kind: string): KindDescriptor | undefined {
  return byKind.get(kind);
}
/** Looks a kind up by its REST plural ("services"). */
export function kindByPlural(plural: string): KindDescriptor | undefined {
  return byPlural.get(plural);
}
export function kindByResourceKind(rk: ResourceKind): KindDescriptor | undefined {
  return byResourceKind.get(rk);
}
export function kindByResourceCase(c: string): KindDescriptor | undefined {
  return byResourceCase.get(c);
}
export function kindBySyncCase(c: string): KindDescriptor | undefined {
  return bySyncCase.get(c);
}
