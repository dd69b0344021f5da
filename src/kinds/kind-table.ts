/**
 * The kind table: the list of kind descriptors (`src/kinds/<kind>/descriptor.ts`, shape in
 * `kind-descriptor.ts`) and lookups by name, plural, wire enum and oneof case. Adding a kind is one
 * import and one entry here (src/kinds/README.md).
 */
import type { ResourceKind } from "../gen/netguard/v1/service_pb.ts";
import { useKindRefs } from "../domain/state-lookup.ts";
import { ADDRESS_GROUP } from "./address-group/descriptor.ts";
import { ADDRESS_GROUP_BINDING } from "./address-group-binding/descriptor.ts";
import { ADDRESS_GROUP_BINDING_POLICY } from "./address-group-binding-policy/descriptor.ts";
import { ADDRESS_GROUP_PORT_MAPPING } from "./address-group-port-mapping/descriptor.ts";
import { HOST } from "./host/descriptor.ts";
import { HOST_BINDING } from "./host-binding/descriptor.ts";
import { IEAGAG_RULE } from "./ieagag-rule/descriptor.ts";
import type { KindDescriptor } from "./kind-descriptor.ts";
import { NETWORK } from "./network/descriptor.ts";
import { NETWORK_BINDING } from "./network-binding/descriptor.ts";
import { RULE_S2S } from "./rule-s2s/descriptor.ts";
import { SERVICE } from "./service/descriptor.ts";
import { SERVICE_ALIAS } from "./service-alias/descriptor.ts";

export type { ColumnSpec, KindDescriptor, MappedField, RefField } from "./kind-descriptor.ts";

/**
 * The kinds, in the order of their proto `Resource.object` cases. Derived writes follow this order
 * too (src/backend/derive/derive-step.ts): RuleS2S before IEAgAgRule.
 */
export const KINDS: readonly KindDescriptor[] = [
  SERVICE,
  ADDRESS_GROUP,
  ADDRESS_GROUP_BINDING,
  ADDRESS_GROUP_PORT_MAPPING,
  RULE_S2S,
  SERVICE_ALIAS,
  ADDRESS_GROUP_BINDING_POLICY,
  IEAGAG_RULE,
  NETWORK,
  NETWORK_BINDING,
  HOST,
  HOST_BINDING,
];

const byKind = new Map(KINDS.map((k) => [k.kind, k]));
const byPlural = new Map(KINDS.map((k) => [k.plural, k]));
const byResourceKind = new Map(KINDS.map((k) => [k.resourceKind, k]));
const byResourceCase = new Map(KINDS.map((k) => [k.resourceCase, k]));
const bySyncCase = new Map(KINDS.map((k) => [k.syncCase, k]));

useKindRefs((kind) => byKind.get(kind)?.refs ?? []);

/** Looks a kind up by its Kind name ("Service"). */
export function kindByName(kind: string): KindDescriptor | undefined {
  return byKind.get(kind);
}
/** Looks a kind up by its REST plural ("services"). */
export function kindByPlural(plural: string): KindDescriptor | undefined {
  return byPlural.get(plural);
}
/** Looks a kind up by its wire enum value (Watch events, List requests). */
export function kindByResourceKind(rk: ResourceKind): KindDescriptor | undefined {
  return byResourceKind.get(rk);
}
/** Looks a kind up by its `Resource.object` oneof case. */
export function kindByResourceCase(c: string): KindDescriptor | undefined {
  return byResourceCase.get(c);
}
/** Looks a kind up by its `SyncReq.subject` oneof case. */
export function kindBySyncCase(c: string): KindDescriptor | undefined {
  return bySyncCase.get(c);
}
