/**
 * All component schemas of the group-version document: the Kubernetes meta types, the shared
 * netguard types, and for each kind `<Kind>`, `<Kind>Spec`, `<Kind>Status` and `<Kind>List`, built
 * from the kind descriptors (their `openapi` parts). Built once; the same map serves OpenAPI and validation.
 */
import { KINDS, type KindDescriptor } from "../../kinds/kind-table.ts";
import { API_VERSION, GROUP, VERSION } from "../../kinds/model.ts";
import { netguardName } from "../../kinds/openapi/block-names.ts";
import { BUILDING_BLOCK_SCHEMAS } from "./building-block-schemas.ts";
import { META_SCHEMAS, metaNames } from "./meta-schemas.ts";
import { int64, listOf, object, ref, refWithDescription, str, type Schema } from "../../kinds/openapi/schema-types.ts";

/** Component name of a kind's object schema. */
export function kindSchemaName(kind: KindDescriptor): string {
  return netguardName(kind.kind);
}

/** Component name of a kind's list schema. */
export function listSchemaName(kind: KindDescriptor): string {
  return netguardName(kind.listKind);
}

const gvk = (kind: string) => [{ group: GROUP, version: VERSION, kind }];

const apiVersionField = str(`APIVersion defines the versioned schema of this representation of an object: "${API_VERSION}".`);
const kindField = (kind: string) => str(`Kind is a string value representing the REST resource this object represents: "${kind}".`);

function statusSchema(kind: KindDescriptor, extra: Record<string, Schema>): Schema {
  return object(`${kind.kind}Status is the observed state of a ${kind.kind}, written by the server (status subresource).`, {
    conditions: listOf(ref(metaNames.condition), "Current conditions: Ready, Synced, Validated, Error.", {
      "x-kubernetes-list-type": "map",
      "x-kubernetes-list-map-keys": ["type"],
    }),
    observedGeneration: int64("The metadata.generation the status was computed for."),
    ...extra,
  });
}

function kindComponents(kind: KindDescriptor): Record<string, Schema> {
  const parts = kind.openapi;
  const specName = netguardName(`${kind.kind}Spec`);
  const statusName = netguardName(`${kind.kind}Status`);
  const objectSchema: Schema = {
    ...object(parts.description, {
      apiVersion: apiVersionField,
      kind: kindField(kind.kind),
      metadata: refWithDescription(metaNames.objectMeta, "Standard object's metadata.", { default: {} }),
      spec: refWithDescription(specName, `Desired state of the ${kind.kind}.`, { default: {} }),
      status: refWithDescription(statusName, `Observed state of the ${kind.kind} (read-only here; written through the status subresource).`, { default: {} }),
      ...(parts.root ?? {}),
    }),
    "x-kubernetes-group-version-kind": gvk(kind.kind),
  };
  const listSchema: Schema = {
    ...object(
      `${kind.listKind} is a list of ${kind.kind} objects.`,
      {
        apiVersion: apiVersionField,
        kind: kindField(kind.listKind),
        metadata: refWithDescription(metaNames.listMeta, "Standard list metadata; resourceVersion is where a watch continues.", { default: {} }),
        items: listOf(ref(kindSchemaName(kind)), `List of ${kind.plural}.`),
      },
      ["items"],
    ),
    "x-kubernetes-group-version-kind": gvk(kind.listKind),
  };
  return {
    [kindSchemaName(kind)]: objectSchema,
    [specName]: parts.spec,
    [statusName]: statusSchema(kind, parts.status ?? {}),
    [listSchemaName(kind)]: listSchema,
  };
}

let cached: Record<string, Schema> | undefined;

/** Every component schema, by name (built on first use, then shared). */
export function componentSchemas(): Record<string, Schema> {
  if (!cached) {
    cached = { ...META_SCHEMAS, ...BUILDING_BLOCK_SCHEMAS };
    for (const kind of KINDS) Object.assign(cached, kindComponents(kind));
  }
  return cached;
}
