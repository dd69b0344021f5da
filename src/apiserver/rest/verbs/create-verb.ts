/**
 * create (POST on a namespaced collection): 201 with the stored object. The URL namespace is the
 * object's namespace (defaulted into the body, a contradicting body namespace is a 400);
 * `generateName` is resolved by the backend; `dryRun=All` validates everything and stores nothing.
 * The creating manager owns every field it set (an Update entry in managedFields).
 */
import { createFieldManager } from "../../fieldmanager/field-manager.ts";
import { StatusError } from "../../status.ts";
import { statusFor } from "../error-status.ts";
import { jsonResponse } from "../http-responses.ts";
import { writeManager } from "../params/field-manager-param.ts";
import { admitObject } from "../admission/object-admission.ts";
import { bindToUrl, checkTypeMeta } from "../admission/object-identity.ts";
import { parseDryRun, parseFieldValidation } from "../params/query-options.ts";
import type { RestContext } from "../rest-context.ts";
import { readObjectBody } from "../admission/request-body.ts";

/** POST on a namespaced collection. */
export async function createVerb(ctx: RestContext): Promise<Response> {
  const { kind, namespace } = ctx.route;
  const dryRun = parseDryRun(ctx.url, "CreateOptions");
  const mode = parseFieldValidation(ctx.url, "CreateOptions");
  const manager = writeManager(ctx.req, ctx.url, "CreateOptions");
  const body = await readObjectBody(ctx.req);
  checkTypeMeta(body, kind);
  bindToUrl(body, namespace);
  const { object, warnings } = admitObject(kind, body, mode);
  const managed = createFieldManager(kind, "").update(undefined, object, manager, object.metadata.managedFields);
  if (managed.length) object.metadata.managedFields = managed;
  else delete object.metadata.managedFields;
  try {
    return jsonResponse(await ctx.backend.create(kind, object, dryRun), 201, warnings);
  } catch (e) {
    // The URL names no object: take the name from the body, so errors say which object failed.
    throw new StatusError(statusFor(e, kind, object.metadata.name || object.metadata.generateName));
  }
}
