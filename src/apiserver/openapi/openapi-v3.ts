/**
 * The OpenAPI v3 documents: the root discovery document (`/openapi/v3`) that lists the group-version
 * with a `serverRelativeURL` carrying a content hash, and the group-version document itself (paths
 * and component schemas for every kind). Both are built once and served as fixed bytes.
 */
import { KINDS } from "../../kinds/kind-table.ts";
import { API_VERSION, VERSION } from "../../kinds/model.ts";
import { kindPaths } from "./openapi-paths.ts";
import { componentSchemas } from "./schema-components.ts";

/** Root-relative key of the group-version in the v3 root document. */
export const GV_PATH = `apis/${API_VERSION}`;

/** The serialised v3 documents. */
export interface OpenApiV3 {
  /** `GET /openapi/v3` body. */
  root: string;
  /** `GET /openapi/v3/apis/<g>/<v>` body. */
  groupVersion: string;
  /** Upper-case hex SHA-512 of `groupVersion` (as Kubernetes puts in `?hash=`). */
  hash: string;
}

/** The group-version document as a value (exported for tests and tools). */
export function groupVersionDocument(): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const kind of KINDS) Object.assign(paths, kindPaths(kind));
  return {
    openapi: "3.0.0",
    info: { title: "Kubernetes", version: `netguard.sgroups.io/${VERSION}` },
    paths,
    components: { schemas: componentSchemas() },
  };
}

async function sha512Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-512", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("").toUpperCase();
}

let built: Promise<OpenApiV3> | undefined;

/** The serialised v3 documents (built on first use). */
export function openApiV3(): Promise<OpenApiV3> {
  built ??= (async () => {
    const groupVersion = JSON.stringify(groupVersionDocument());
    const hash = await sha512Hex(groupVersion);
    const root = JSON.stringify({ paths: { [GV_PATH]: { serverRelativeURL: `/openapi/v3/${GV_PATH}?hash=${hash}` } } });
    return { root, groupVersion, hash };
  })();
  return built;
}
