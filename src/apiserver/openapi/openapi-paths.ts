/**
 * The `paths` of the group-version OpenAPI v3 document, generated per kind from the kind table:
 * list (namespaced and all namespaces), create, deletecollection, get, replace, patch, delete and
 * the status subresource. kubectl 1.32 leaves validation to the server when it finds a PATCH
 * operation tagged with the kind's `x-kubernetes-group-version-kind` that declares the
 * `fieldValidation` query parameter, so every PATCH declares it. Patch
 * bodies are JSON patch, merge patch and apply only: advertising strategic merge patch would make
 * client-side apply try (and fail) to compute one.
 */
import type { KindDescriptor } from "../../kinds/kind-table.ts";
import { API_VERSION, GROUP, VERSION } from "../../kinds/model.ts";
import { metaNames } from "./meta-schemas.ts";
import { kindSchemaName, listSchemaName } from "./schema-components.ts";
import { ref, type Schema } from "../../kinds/openapi/schema-types.ts";

/** Patch content types the server accepts (and the only ones it advertises). */
export const PATCH_CONTENT_TYPES = ["application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml"] as const;

interface Parameter {
  name: string;
  in: "query" | "path";
  description: string;
  required?: boolean;
  schema: Schema;
  uniqueItems?: boolean;
}

type Operation = Record<string, unknown>;

const q = (name: string, description: string, type: "string" | "boolean" | "integer" = "string"): Parameter => ({
  name,
  in: "query",
  description,
  schema: { type },
  uniqueItems: true,
});

const P = {
  pretty: q("pretty", "If 'true', then the output is pretty printed. Accepted and ignored."),
  dryRun: q("dryRun", "When present, indicates that modifications should not be persisted. The only valid value is All."),
  fieldManager: q("fieldManager", "A name associated with the actor or entity that is making these changes. Required for apply patches."),
  fieldValidation: q(
    "fieldValidation",
    "How the server treats unknown fields in the body: Ignore (drop silently), Warn (drop and answer with a Warning header; the default) or Strict (reject with 400 BadRequest).",
  ),
  force: q("force", "Force an apply request. Accepted; netguard does not track field ownership, so apply never conflicts.", "boolean"),
  allowWatchBookmarks: q("allowWatchBookmarks", "Requests watch events with type BOOKMARK.", "boolean"),
  continue: q("continue", "The continue token of the previous page of a paged list."),
  fieldSelector: q("fieldSelector", "Restrict the list of returned objects by fields: metadata.name and metadata.namespace (=, ==, !=)."),
  labelSelector: q("labelSelector", "Restrict the list of returned objects by their labels."),
  limit: q("limit", "Maximum number of items of one list page; more pages are announced with metadata.continue.", "integer"),
  resourceVersion: q("resourceVersion", "For watch: the resourceVersion after which events are sent (\"\" or \"0\": current objects first). For list: served once the server has reached it (504 Timeout after a short wait otherwise)."),
  resourceVersionMatch: q("resourceVersionMatch", "List: NotOlderThan (the default) or Exact (only the current version is kept; older ones are 410 Expired). Watch: NotOlderThan, with sendInitialEvents."),
  sendInitialEvents: q("sendInitialEvents", "With watch=true: send the current objects, then a BOOKMARK annotated k8s.io/initial-events-end.", "boolean"),
  timeoutSeconds: q("timeoutSeconds", "Timeout for the list/watch call.", "integer"),
  watch: q("watch", "Watch for changes to the described resources and return them as a stream of add, update, and remove notifications.", "boolean"),
  gracePeriodSeconds: q("gracePeriodSeconds", "Accepted and ignored: netguard deletes at once.", "integer"),
  propagationPolicy: q("propagationPolicy", "Accepted and ignored: netguard objects have no dependents to collect."),
  orphanDependents: q("orphanDependents", "Deprecated. Accepted and ignored.", "boolean"),
};

const pathParam = (name: string, description: string): Parameter => ({ name, in: "path", description, required: true, schema: { type: "string" }, uniqueItems: true });

const LIST_PARAMS = [
  P.allowWatchBookmarks,
  P.continue,
  P.fieldSelector,
  P.labelSelector,
  P.limit,
  P.resourceVersion,
  P.resourceVersionMatch,
  P.sendInitialEvents,
  P.timeoutSeconds,
  P.watch,
];
const WRITE_PARAMS = [P.dryRun, P.fieldManager, P.fieldValidation];
const PATCH_PARAMS = [P.dryRun, P.fieldManager, P.fieldValidation, P.force];
const DELETE_PARAMS = [P.dryRun, P.gracePeriodSeconds, P.orphanDependents, P.propagationPolicy];

const RESPONSE_TYPES = ["application/json", "application/yaml"];

function content(schema: Schema, types: readonly string[] = RESPONSE_TYPES): Record<string, { schema: Schema }> {
  return Object.fromEntries(types.map((t) => [t, { schema }]));
}

const ok = (schema: Schema, code = "200", description = "OK") => ({ [code]: { description, content: content(schema) }, "401": { description: "Unauthorized" } });

function gvk(kind: KindDescriptor) {
  return { group: GROUP, version: VERSION, kind: kind.kind };
}

/** Kubernetes-style operation ids: listNetguardSgroupsIoV1beta1NamespacedService. */
function operationId(verb: string, kind: KindDescriptor, scope: "Namespaced" | "ForAllNamespaces" | "", suffix = ""): string {
  const group = "NetguardSgroupsIoV1beta1";
  return scope === "ForAllNamespaces" ? `${verb}${group}${kind.kind}ForAllNamespaces` : `${verb}${group}${scope}${kind.kind}${suffix}`;
}

function op(kind: KindDescriptor, action: string, id: string, description: string, parameters: Parameter[], responses: object, requestBody?: object): Operation {
  const o: Operation = {
    tags: [`netguardSgroupsIo_${VERSION}`],
    description,
    operationId: id,
    parameters,
    responses,
    "x-kubernetes-action": action,
    "x-kubernetes-group-version-kind": gvk(kind),
  };
  if (requestBody) o.requestBody = requestBody;
  return o;
}

const bodyOf = (schema: Schema) => ({ content: content(schema, ["*/*"]), required: true });
const patchBody = () => ({ content: content(ref(metaNames.patch), PATCH_CONTENT_TYPES), required: true });

/** The path items of one kind, keyed by path. */
export function kindPaths(kind: KindDescriptor): Record<string, Record<string, unknown>> {
  const base = `/apis/${API_VERSION}`;
  const obj = ref(kindSchemaName(kind));
  const list = ref(listSchemaName(kind));
  const status = ref(metaNames.status);
  const ns = pathParam("namespace", "object name and auth scope, such as for teams and projects");
  const name = pathParam("name", `name of the ${kind.kind}`);
  const K = kind.kind;
  return {
    [`${base}/${kind.plural}`]: {
      get: op(kind, "list", operationId("list", kind, "ForAllNamespaces"), `list or watch objects of kind ${K} in all namespaces`, LIST_PARAMS, ok(list)),
      parameters: [P.pretty],
    },
    [`${base}/namespaces/{namespace}/${kind.plural}`]: {
      get: op(kind, "list", operationId("list", kind, "Namespaced"), `list or watch objects of kind ${K}`, LIST_PARAMS, ok(list)),
      post: op(kind, "post", operationId("create", kind, "Namespaced"), `create a ${K}`, WRITE_PARAMS, { ...ok(obj), ...ok(obj, "201", "Created") }, bodyOf(obj)),
      delete: op(
        kind,
        "deletecollection",
        operationId("deletecollection", kind, "Namespaced"),
        `delete collection of ${K}; answers the list of deleted objects, or 409 when some could not be deleted`,
        [...LIST_PARAMS.filter((p) => p.name !== "watch" && p.name !== "allowWatchBookmarks"), ...DELETE_PARAMS],
        ok(list),
        { content: content(ref(metaNames.deleteOptions), ["*/*"]) },
      ),
      parameters: [ns, P.pretty],
    },
    [`${base}/namespaces/{namespace}/${kind.plural}/{name}`]: {
      get: op(kind, "get", operationId("read", kind, "Namespaced"), `read the specified ${K}`, [], ok(obj)),
      put: op(kind, "put", operationId("replace", kind, "Namespaced"), `replace the specified ${K} (metadata.resourceVersion is required)`, WRITE_PARAMS, ok(obj), bodyOf(obj)),
      patch: op(kind, "patch", operationId("patch", kind, "Namespaced"), `partially update the specified ${K}`, PATCH_PARAMS, { ...ok(obj), ...ok(obj, "201", "Created") }, patchBody()),
      delete: op(kind, "delete", operationId("delete", kind, "Namespaced"), `delete a ${K}; answers the deleted object`, DELETE_PARAMS, { ...ok(obj), "409": { description: "Conflict", content: content(status) } }, {
        content: content(ref(metaNames.deleteOptions), ["*/*"]),
      }),
      parameters: [name, ns, P.pretty],
    },
    [`${base}/namespaces/{namespace}/${kind.plural}/{name}/status`]: {
      get: op(kind, "get", operationId("read", kind, "Namespaced", "Status"), `read status of the specified ${K}`, [], ok(obj)),
      put: op(kind, "put", operationId("replace", kind, "Namespaced", "Status"), `replace status of the specified ${K}`, WRITE_PARAMS, ok(obj), bodyOf(obj)),
      patch: op(kind, "patch", operationId("patch", kind, "Namespaced", "Status"), `partially update status of the specified ${K}`, PATCH_PARAMS, ok(obj), patchBody()),
      parameters: [name, ns, P.pretty],
    },
  };
}
