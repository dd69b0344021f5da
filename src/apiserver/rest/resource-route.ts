/**
 * Parses a resource URL of this group-version into what the request addresses: the kind, the
 * namespace ("" = all namespaces), the object name, the `status` subresource, and whether it came
 * through the deprecated `/watch/` prefix. Every netguard kind is namespaced, so objects are only
 * addressed under `namespaces/<ns>/`; `/<plural>` alone is the all-namespaces collection.
 */
import { kindByPlural, type KindDescriptor } from "../../kinds/kind-table.ts";
import { API_VERSION } from "../../kinds/model.ts";

/** What a resource URL addresses. */
export interface ResourceRoute {
  kind: KindDescriptor;
  /** "" for the all-namespaces collection. */
  namespace: string;
  /** Set for object (and subresource) paths. */
  name?: string;
  subresource?: "status";
  /** Came through `/apis/<g>/<v>/watch/...`: always a watch. */
  watchPrefix: boolean;
}

const PREFIX = `/apis/${API_VERSION}/`;

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** The route of `pathname`, or undefined when it is not a resource path of this API. */
export function parseResourceRoute(pathname: string): ResourceRoute | undefined {
  if (!pathname.startsWith(PREFIX)) return undefined;
  const raw = pathname.slice(PREFIX.length).replace(/\/+$/, "").split("/");
  const segs: string[] = [];
  for (const s of raw) {
    const d = decode(s);
    if (d === undefined || d === "") return undefined;
    segs.push(d);
  }
  let watchPrefix = false;
  if (segs[0] === "watch") {
    watchPrefix = true;
    segs.shift();
  }
  let namespace = "";
  if (segs[0] === "namespaces") {
    if (segs.length < 3) return undefined;
    namespace = segs[1]!;
    segs.splice(0, 2);
  }
  const kind = segs[0] ? kindByPlural(segs[0]) : undefined;
  if (!kind) return undefined;
  if (segs.length === 1) return { kind, namespace, watchPrefix };
  // Objects exist only inside a namespace.
  if (!namespace) return undefined;
  const name = segs[1]!;
  if (segs.length === 2) return { kind, namespace, name, watchPrefix };
  if (segs.length === 3 && segs[2] === "status" && !watchPrefix) return { kind, namespace, name, subresource: "status", watchPrefix };
  return undefined;
}
