/**
 * delete (DELETE on an object): answers 200 with the deleted object (its last state), which kubectl
 * accepts; an empty body would make kubectl fail even though the object is gone. Preconditions
 * (resourceVersion, uid) and dry runs are enforced by the backend; an object that other objects
 * still depend on is refused there (409 Conflict with the reasons).
 */
import { readDeleteOptions } from "./delete-options.ts";
import { jsonResponse } from "./http-responses.ts";
import type { RestContext } from "./rest-context.ts";

/** DELETE on an object. */
export async function deleteVerb(ctx: RestContext): Promise<Response> {
  const { kind, namespace, name } = ctx.route;
  const opts = await readDeleteOptions(ctx.req, ctx.url);
  const deleted = await ctx.backend.delete(kind, namespace, name!, opts.preconditions, opts.dryRun);
  return jsonResponse(deleted);
}
