/**
 * Discovery bodies, generated from the kind table: the legacy documents (APIGroupList, APIGroup,
 * APIResourceList, APIVersions) that every kubectl understands, the aggregated
 * APIGroupDiscoveryList that kubectl 1.32 asks for first, and the /version body. Every kind is
 * advertised with its verbs, singular name, short names, the `netguard` category (so
 * `kubectl get netguard -A` lists everything) and its `status` subresource.
 */
import { KINDS, type KindDescriptor } from "../../kinds/kind-table.ts";
import { API_VERSION, GROUP, VERSION } from "../../kinds/model.ts";

/** Verbs of every kind's main resource (sorted, as kube-apiserver lists them). */
export const RESOURCE_VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
/** Verbs of every kind's status subresource. */
export const STATUS_VERBS = ["get", "patch", "update"];
/** The category every kind belongs to. */
export const CATEGORIES = ["netguard"];

const groupVersion = { groupVersion: API_VERSION, version: VERSION };

/** `GET /apis/<group>`. */
export function apiGroup(): Record<string, unknown> {
  return { kind: "APIGroup", apiVersion: "v1", name: GROUP, versions: [groupVersion], preferredVersion: groupVersion };
}

/** `GET /apis` (legacy). */
export function apiGroupList(): Record<string, unknown> {
  const { kind: _k, apiVersion: _a, ...group } = apiGroup();
  return { kind: "APIGroupList", apiVersion: "v1", groups: [group] };
}

function resourceEntries(kind: KindDescriptor): Record<string, unknown>[] {
  return [
    {
      name: kind.plural,
      singularName: kind.singular,
      namespaced: true,
      kind: kind.kind,
      verbs: RESOURCE_VERBS,
      shortNames: kind.shortNames,
      categories: CATEGORIES,
    },
    { name: `${kind.plural}/status`, singularName: "", namespaced: true, kind: kind.kind, verbs: STATUS_VERBS },
  ];
}

/** `GET /apis/<group>/<version>`. */
export function apiResourceList(): Record<string, unknown> {
  return { kind: "APIResourceList", apiVersion: "v1", groupVersion: API_VERSION, resources: KINDS.flatMap(resourceEntries) };
}

/** `GET /api` (legacy): no core group here. */
export function apiVersions(): Record<string, unknown> {
  return { kind: "APIVersions", versions: [], serverAddressByClientCIDRs: [] };
}

function discoveryResource(kind: KindDescriptor): Record<string, unknown> {
  const responseKind = { group: GROUP, version: VERSION, kind: kind.kind };
  return {
    resource: kind.plural,
    responseKind,
    scope: "Namespaced",
    singularResource: kind.singular,
    verbs: RESOURCE_VERBS,
    shortNames: kind.shortNames,
    categories: CATEGORIES,
    subresources: [{ subresource: "status", responseKind, verbs: STATUS_VERBS }],
  };
}

/** Aggregated discovery (`apidiscovery.k8s.io/<version>` APIGroupDiscoveryList); empty for `/api`. */
export function apiGroupDiscoveryList(discoveryVersion: string, withGroups: boolean): Record<string, unknown> {
  const items = withGroups
    ? [{ metadata: { name: GROUP }, versions: [{ version: VERSION, resources: KINDS.map(discoveryResource), freshness: "Current" }] }]
    : [];
  return { kind: "APIGroupDiscoveryList", apiVersion: `apidiscovery.k8s.io/${discoveryVersion}`, metadata: {}, items };
}

/**
 * `GET /version`. Minor "32": gcloud's kubectl dispatcher picks the client binary matching the
 * server's minor version, and 1.32 is the client this server was tested with.
 */
export function versionInfo(): Record<string, string> {
  return {
    major: "1",
    minor: "32",
    gitVersion: "v1.32.0-netguard",
    gitCommit: "0000000000000000000000000000000000000000",
    gitTreeState: "clean",
    buildDate: "2025-01-01T00:00:00Z",
    goVersion: "n/a (TypeScript)",
    compiler: "bun",
    platform: "linux/amd64",
  };
}
