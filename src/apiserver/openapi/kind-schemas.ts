/**
 * Per-kind schemas as data: for each of the eight kinds its spec, the status fields beyond
 * conditions/observedGeneration, and the root-level derived fields (domain-reference §1.2–1.9).
 * Everything generic (envelope, metadata, status conditions, lists) is built from this table in
 * `schema-components.ts`; a test checks that every field of the kind table appears here.
 */
import { MAX_DESCRIPTION, PROTOCOLS, RULE_ACTIONS, TRAFFIC } from "../../kinds/validation/domain-values.ts";
import { blockNames, namespacedRefTo } from "./building-block-schemas.ts";
import { bool, enumOf, int32, listOf, object, ref, refWithDescription, str, type Schema } from "./schema-types.ts";

/** The kind-specific parts of a kind's schema. */
export interface KindSchemaParts {
  /** One sentence on what the kind is for (the object's description). */
  description: string;
  spec: Schema;
  /** Status fields beyond conditions and observedGeneration. */
  status?: Record<string, Schema>;
  /** Root-level fields beside apiVersion/kind/metadata/spec/status (derived, read-only). */
  root?: Record<string, Schema>;
}

const description = str("Free text, at most 512 characters.", { maxLength: MAX_DESCRIPTION });
const traffic = enumOf(TRAFFIC, "Traffic direction: INGRESS or EGRESS (upper case).");
const action = enumOf(RULE_ACTIONS, "Verdict: ACCEPT or DROP.");
const readOnly = (s: Schema): Schema => ({ ...s, readOnly: true });

/** Kind name → its schema parts. */
export const KIND_SCHEMAS: Record<string, KindSchemaParts> = {
  Service: {
    description: "Service is a set of ingress ports that can be placed into AddressGroups and connected by RuleS2S rules.",
    spec: object("ServiceSpec is the desired state of a Service.", {
      description,
      ingressPorts: listOf(ref(blockNames.ingressPort), "Ports the Service accepts traffic on. No duplicates and no overlapping ranges per protocol."),
      addressGroups: listOf(
        namespacedRefTo("AddressGroup", "AddressGroup the Service is registered in directly."),
        "AddressGroups the Service is registered in directly (each must exist, no duplicates).",
      ),
    }),
    root: {
      xAggregatedAddressGroups: readOnly(
        listOf(ref(blockNames.addressGroupReference), "Every AddressGroup the Service belongs to, from spec.addressGroups and from bindings. Maintained by the server; ignored on input."),
      ),
    },
  },
  AddressGroup: {
    description: "AddressGroup is a named set of hosts and networks with a default verdict for traffic no rule matches.",
    spec: object(
      "AddressGroupSpec is the desired state of an AddressGroup.",
      {
        defaultAction: action,
        logs: bool("Log traffic matched by the default action."),
        trace: bool("Trace traffic matched by the default action."),
        hosts: listOf(refWithDescription(blockNames.objectReference, "A Host (kind: Host) in the same namespace."), "Hosts that belong to the group; a Host belongs to at most one group."),
      },
      ["defaultAction"],
    ),
    status: {
      addressGroupName: readOnly(str('Name of the group in sgroups: "<namespace>/<name>". Computed by the server.')),
    },
    root: {
      networks: readOnly(listOf(ref(blockNames.networkItem), "Networks attached through NetworkBindings. Maintained by the server; ignored on input.")),
      xAggregatedHosts: readOnly(listOf(ref(blockNames.hostReference), "Hosts of the group. Maintained by the server; ignored on input.")),
    },
  },
  AddressGroupBinding: {
    description: "AddressGroupBinding places a Service into an AddressGroup (across namespaces only when an AddressGroupBindingPolicy allows it).",
    spec: object(
      "AddressGroupBindingSpec names the Service and the AddressGroup. Both references are immutable.",
      {
        serviceRef: namespacedRefTo("Service", "The Service to bind (in the binding's namespace)."),
        addressGroupRef: namespacedRefTo("AddressGroup", "The AddressGroup to bind the Service to."),
      },
      ["serviceRef", "addressGroupRef"],
    ),
  },
  AddressGroupPortMapping: {
    description: "AddressGroupPortMapping lists the ports of every Service in an AddressGroup. It has the AddressGroup's name and namespace and is maintained by the server.",
    spec: object("AddressGroupPortMappingSpec is empty.", {}),
    root: {
      accessPorts: refWithDescription(blockNames.accessPortsSpec, "The Services of the AddressGroup and their ports. Ranges of different Services must not overlap per protocol."),
    },
  },
  RuleS2S: {
    description: "RuleS2S allows traffic between two Services; the server generates IEAgAgRules from it for their AddressGroups.",
    spec: object(
      "RuleS2SSpec is the desired state of a RuleS2S. traffic, serviceLocalRef and serviceRef are immutable.",
      {
        traffic,
        serviceLocalRef: namespacedRefTo("Service", "The local Service, in the rule's namespace."),
        serviceRef: namespacedRefTo("Service", "The remote Service (may be in another namespace)."),
        trace: bool("Trace traffic matched by the generated rules."),
      },
      ["traffic", "serviceLocalRef", "serviceRef"],
    ),
    status: {
      ieAgAgRuleRefs: listOf(ref(blockNames.namespacedObjectReference), "IEAgAgRules generated for this rule."),
    },
  },
  ServiceAlias: {
    description: "ServiceAlias is another name for a Service in the same namespace.",
    spec: object(
      "ServiceAliasSpec names the aliased Service. The reference is immutable.",
      { serviceRef: namespacedRefTo("Service", "The aliased Service, in the alias's namespace.") },
      ["serviceRef"],
    ),
  },
  AddressGroupBindingPolicy: {
    description: "AddressGroupBindingPolicy, in an AddressGroup's namespace, allows a Service of another namespace to be bound to that AddressGroup.",
    spec: object(
      "AddressGroupBindingPolicySpec names the AddressGroup and the Service. Both references are immutable.",
      {
        addressGroupRef: namespacedRefTo("AddressGroup", "The AddressGroup, in the policy's namespace."),
        serviceRef: namespacedRefTo("Service", "The Service allowed to bind to it."),
      },
      ["addressGroupRef", "serviceRef"],
    ),
  },
  IEAgAgRule: {
    description: "IEAgAgRule is an ingress/egress rule between two AddressGroups, usually generated from RuleS2S.",
    spec: object(
      "IEAgAgRuleSpec is the desired state of an IEAgAgRule. transport, traffic, addressGroupLocal and addressGroup are immutable.",
      {
        description,
        transport: enumOf(PROTOCOLS, "Transport protocol: TCP or UDP."),
        traffic,
        addressGroupLocal: namespacedRefTo("AddressGroup", "The local AddressGroup."),
        addressGroup: namespacedRefTo("AddressGroup", "The remote AddressGroup."),
        ports: listOf(ref(blockNames.portSpec), "Destination ports; each entry sets exactly one of port or portRange."),
        action,
        logs: bool("Log matched traffic."),
        priority: int32("Rule priority, >= 0.", { minimum: 0 }),
        trace: bool("Trace matched traffic."),
      },
      ["transport", "traffic", "addressGroupLocal", "addressGroup"],
    ),
  },
};
