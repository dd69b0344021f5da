/**
 * delete (DELETE on an object): 200 with the object in both outcomes, as kube-apiserver answers
 * for custom resources. An object nothing uses is deleted at once and the body is its last state
 * (an empty body would make kubectl fail even though the object is gone). An object other objects
 * still use, or with finalizers, is kept Terminating (in-use protection, src/backend/engine/
 * in-use-protection.ts) and the body is the object with `metadata.deletionTimestamp` and its
 * finalizers; kubectl then waits (unless `--wait=false`) until the last use goes away and the
 * object with it. Preconditions (resourceVersion, uid) and dry runs are enforced by the backend;
 * only server-managed objects (port mappings) are refused (409 Conflict with the reason).
 */
import { readDeleteOptions } from "../params/delete-options.ts";
import { jsonResponse } from "../http-responses.ts";
import type { RestContext } from "../rest-context.ts";

/** DELETE on an object. */
export async function deleteVerb(ctx: RestContext): Promise<Response> {
  const { kind, namespace, name } = ctx.route;
  const opts = await readDeleteOptions(ctx.req, ctx.url);
  const deleted = await ctx.backend.delete(kind, namespace, name!, opts.preconditions, opts.dryRun);
  return jsonResponse(deleted);
}
