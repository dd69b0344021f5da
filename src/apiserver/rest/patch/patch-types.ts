/**
 * Patch content types. JSON patch, merge patch and server-side apply are served; strategic merge
 * patch is answered 415 UnsupportedMediaType as for custom resources, which makes kubectl print
 * "application/strategic-merge-patch+json is not supported by ..." (test/e2e/kubectl.test.ts checks it).
 */
import { statusError } from "../../status.ts";
import { mediaType } from "../admission/request-body.ts";

/** The three patch formats served. */
export type PatchType = "json" | "merge" | "apply";

const TYPES: Record<string, PatchType> = {
  "application/json-patch+json": "json",
  "application/merge-patch+json": "merge",
  "application/apply-patch+yaml": "apply",
};

/** The patch type of a Content-Type header; anything else → 415. */
export function patchTypeOf(contentType: string | null): PatchType {
  const t = TYPES[mediaType(contentType)];
  if (t) return t;
  throw statusError.unsupportedMediaType(
    `the body of the request was in an unknown format - accepted media types include: ${Object.keys(TYPES).join(", ")}`,
  );
}
