/**
 * The authorizer attributes of an HTTP request, parsed the way kube-apiserver's RequestInfoFactory
 * does, so that a rule written for kube-apiserver means the same here: `/api/v1/...` and
 * `/apis/<group>/<version>/...` are resource requests (verb from the method; list/watch for a
 * collection GET, deletecollection for a collection DELETE; `/watch/` prefix; a list or watch whose
 * field selector pins `metadata.name` names the object), everything else is a non-resource request
 * (discovery, OpenAPI, /version) whose verb is the lower-cased method.
 *
 * One deliberate difference: a GET of one object with `?watch=true` is authorized as `watch`, since
 * this server does answer it with a watch; kube-apiserver keeps it a `get`.
 */
import { queryFlag } from "../rest/params/mod.ts";

/** kube's authorizer.Attributes (without the user, which travels beside them). */
export interface RequestAttributes {
  resourceRequest: boolean;
  /** URL path (non-resource requests are authorized by it). */
  path: string;
  verb: string;
  apiGroup: string;
  apiVersion: string;
  resource: string;
  subresource: string;
  /** "" for cluster scope (all namespaces). */
  namespace: string;
  name: string;
}

function nonResource(path: string, method: string): RequestAttributes {
  return { resourceRequest: false, path, verb: method.toLowerCase(), apiGroup: "", apiVersion: "", resource: "", subresource: "", namespace: "", name: "" };
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** A name kube accepts as a path segment (path.IsValidPathSegmentName). */
function validSegmentName(name: string): boolean {
  return name !== "" && name !== "." && name !== ".." && !name.includes("/") && !name.includes("%");
}

/** `metadata.name` when the field selector requires an exact match on it (kube's RequiresExactMatch). */
function selectedName(url: URL): string | undefined {
  const sel = url.searchParams.get("fieldSelector");
  if (!sel) return undefined;
  for (const term of sel.split(",")) {
    const m = /^\s*metadata\.name\s*==?\s*(.*?)\s*$/.exec(term);
    if (m && !term.includes("!=")) return m[1];
  }
  return undefined;
}

const METHOD_VERBS: Record<string, string> = { POST: "create", GET: "get", HEAD: "get", PUT: "update", PATCH: "patch", DELETE: "delete" };

/** The attributes of `req` at `url`. */
export function requestAttributes(method: string, url: URL): RequestAttributes {
  const path = url.pathname;
  const parts = path.split("/").filter((p) => p !== "").map(decodeSegment);
  if (parts.length < 3 || (parts[0] !== "api" && parts[0] !== "apis")) return nonResource(path, method);
  let rest = parts.slice(1);
  let apiGroup = "";
  if (parts[0] === "apis") {
    if (rest.length < 3) return nonResource(path, method);
    apiGroup = rest[0]!;
    rest = rest.slice(1);
  }
  const apiVersion = rest[0]!;
  rest = rest.slice(1);
  let verb = Object.hasOwn(METHOD_VERBS, method) ? METHOD_VERBS[method]! : "";
  if (rest[0] === "watch" && rest.length >= 2) {
    verb = "watch";
    rest = rest.slice(1);
  }
  let namespace = "";
  if (rest[0] === "namespaces" && rest.length > 1) {
    namespace = rest[1]!;
    if (rest.length > 2) rest = rest.slice(2);
  }
  const resource = rest[0] ?? "";
  let name = rest[1] ?? "";
  const subresource = rest[2] ?? "";
  if (!name && verb === "get") {
    verb = queryFlag(url, "watch") ? "watch" : "list";
  } else if (name && verb === "get" && !subresource && queryFlag(url, "watch")) {
    verb = "watch"; // this server watches here (see the module comment)
  }
  if (!name && (verb === "list" || verb === "watch")) {
    const n = selectedName(url);
    if (n !== undefined && validSegmentName(n)) name = n;
  }
  if (!name && verb === "delete") verb = "deletecollection";
  return { resourceRequest: true, path, verb, apiGroup, apiVersion, resource, subresource, namespace, name };
}

/** Verbs that change state: these requests are written to the audit log. */
export function isMutatingVerb(attrs: RequestAttributes): boolean {
  if (attrs.resourceRequest) return ["create", "update", "patch", "delete", "deletecollection"].includes(attrs.verb);
  return !["get", "head", "options"].includes(attrs.verb);
}
