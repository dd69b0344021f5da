/**
 * The sample manifests of domain-reference §8 (Fixtures 1–5), as objects, in apply order. They are
 * consistent with the upstream validators, so every one must pass validation when applied in order.
 */
import type { KubeObject } from "../../src/kinds/model.ts";
import { MemoryState, obj, ref } from "./memory-state.ts";

const withLabels = (o: KubeObject, labels: Record<string, string>): KubeObject => ({ ...o, metadata: { ...o.metadata, labels } });

/** Fixture 1: base objects in `shop`. */
export const fixture1: KubeObject[] = [
  withLabels(obj("AddressGroup", "shop", "ag-frontend", { defaultAction: "ACCEPT", logs: true, trace: false }), { tier: "web" }),
  withLabels(obj("AddressGroup", "shop", "ag-backend", { defaultAction: "DROP", logs: false, trace: false }), { tier: "api" }),
  withLabels(
    obj("Service", "shop", "frontend", {
      description: "storefront UI",
      ingressPorts: [
        { protocol: "TCP", port: "80", description: "http" },
        { protocol: "TCP", port: "443", description: "https" },
      ],
      addressGroups: [ref("AddressGroup", "shop", "ag-frontend")],
    }),
    { tier: "web" },
  ),
  withLabels(
    obj("Service", "shop", "backend", {
      description: "order API",
      ingressPorts: [
        { protocol: "TCP", port: "8080-8081" },
        { protocol: "UDP", port: "5353" },
      ],
      addressGroups: [ref("AddressGroup", "shop", "ag-backend")],
    }),
    { tier: "api" },
  ),
  obj("ServiceAlias", "shop", "frontend-alias", { serviceRef: ref("Service", "shop", "frontend") }),
];

/** Fixture 2: same-namespace AddressGroupBinding. */
export const fixture2: KubeObject[] = [
  obj("AddressGroup", "shop", "ag-worker", { defaultAction: "ACCEPT" }),
  obj("Service", "shop", "worker", { ingressPorts: [{ protocol: "TCP", port: "9000" }] }),
  obj("AddressGroupBinding", "shop", "worker-in-ag-worker", {
    serviceRef: ref("Service", "shop", "worker"),
    addressGroupRef: ref("AddressGroup", "shop", "ag-worker"),
  }),
];

/** Fixture 3: cross-namespace binding authorised by a policy. */
export const fixture3: KubeObject[] = [
  obj("AddressGroup", "infra", "ag-shared-db", { defaultAction: "DROP", logs: true }),
  obj("Service", "payments", "billing", { ingressPorts: [{ protocol: "TCP", port: "7000" }] }),
  obj("AddressGroupBindingPolicy", "infra", "allow-billing-into-shared-db", {
    addressGroupRef: ref("AddressGroup", "infra", "ag-shared-db"),
    serviceRef: ref("Service", "payments", "billing"),
  }),
  obj("AddressGroupBinding", "payments", "billing-to-shared-db", {
    serviceRef: ref("Service", "payments", "billing"),
    addressGroupRef: ref("AddressGroup", "infra", "ag-shared-db"),
  }),
];

/** Fixture 4: a RuleS2S pair and the IEAgAgRules it is expected to generate. */
export const fixture4: KubeObject[] = [
  obj("RuleS2S", "shop", "frontend-to-backend", {
    traffic: "EGRESS",
    serviceLocalRef: ref("Service", "shop", "frontend"),
    serviceRef: ref("Service", "shop", "backend"),
    trace: true,
  }),
  obj("RuleS2S", "shop", "backend-from-frontend", {
    traffic: "INGRESS",
    serviceLocalRef: ref("Service", "shop", "backend"),
    serviceRef: ref("Service", "shop", "frontend"),
  }),
  obj("IEAgAgRule", "shop", "egr-97877b71-97e2-9550-1be1-6cf5b857d9d6", {
    transport: "TCP",
    traffic: "EGRESS",
    addressGroupLocal: ref("AddressGroup", "shop", "ag-frontend"),
    addressGroup: ref("AddressGroup", "shop", "ag-backend"),
    ports: [{ portRange: { from: 8080, to: 8081 } }],
    action: "ACCEPT",
    trace: true,
  }),
  obj("IEAgAgRule", "shop", "ing-8fbe3a69-f284-d187-3317-a365c3ed8e7c", {
    transport: "TCP",
    traffic: "INGRESS",
    addressGroupLocal: ref("AddressGroup", "shop", "ag-backend"),
    addressGroup: ref("AddressGroup", "shop", "ag-frontend"),
    ports: [{ portRange: { from: 8080, to: 8081 } }],
    action: "ACCEPT",
    trace: false,
  }),
];

/** Fixture 5: hand-written IEAgAgRule. */
export const fixture5: KubeObject[] = [
  withLabels(
    obj("IEAgAgRule", "shop", "worker-ssh-block", {
      transport: "TCP",
      traffic: "INGRESS",
      addressGroupLocal: ref("AddressGroup", "shop", "ag-worker"),
      addressGroup: ref("AddressGroup", "shop", "ag-frontend"),
      ports: [{ port: 22 }, { portRange: { from: 2200, to: 2222 } }],
      action: "DROP",
      priority: 10,
    }),
    { owner: "secops" },
  ),
];

/** Fixture 6: Networks, one bound into an AddressGroup of namespace `edge`. */
export const fixture6: KubeObject[] = [
  obj("AddressGroup", "edge", "ag-edge", { defaultAction: "DROP" }),
  withLabels(obj("Network", "edge", "office", { cidr: "10.20.0.0/16" }), { site: "hq" }),
  obj("Network", "edge", "vpn", { cidr: "2001:db8:20::/48" }),
  obj("NetworkBinding", "edge", "office-in-ag-edge", { networkRef: ref("Network", "edge", "office"), addressGroupRef: ref("AddressGroup", "edge", "ag-edge") }),
];

/** Fixture 7: Hosts, one bound into `edge/ag-edge`. */
export const fixture7: KubeObject[] = [
  obj("Host", "edge", "web-1", { uuid: "6f1c2a3e-5b7d-4c8e-9f10-1a2b3c4d5e6f" }),
  obj("Host", "edge", "web-2", { uuid: "0b9e8d7c-6a5f-4e3d-8c2b-1a0f9e8d7c6b" }),
  obj("HostBinding", "edge", "web-1-in-ag-edge", { hostRef: ref("Host", "edge", "web-1"), addressGroupRef: ref("AddressGroup", "edge", "ag-edge") }),
];

/** All fixtures in apply order. */
export const allFixtures: KubeObject[] = [...fixture1, ...fixture2, ...fixture3, ...fixture4, ...fixture5, ...fixture6, ...fixture7];

/** A fresh state holding every fixture (stored without validation; the fixtures test validates them). */
export function fixtureState(): MemoryState {
  return new MemoryState(structuredClone(allFixtures));
}

/** One fixture object by kind and namespace/name, deep-copied so tests can mutate it. */
export function fixture(kind: string, namespace: string, name: string): KubeObject {
  const o = allFixtures.find((x) => x.kind === kind && x.metadata.namespace === namespace && x.metadata.name === name);
  if (!o) throw new Error(`no fixture ${kind} ${namespace}/${name}`);
  return structuredClone(o);
}
