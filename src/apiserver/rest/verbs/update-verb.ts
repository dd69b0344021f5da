/**
 * update (PUT on an object) and status update (PUT on `<object>/status`). The body must name the
 * object of the URL and carry `metadata.resourceVersion`; the backend enforces it atomically (409
 * when stale). A status update changes only status. Both record field ownership: what the body
 * changed against the live object moves to the writing manager (an Update entry; for status under
 * the `status` subresource).
 */
import type { KubeObject } from "../../../kinds/model.ts";
import { createFieldManager } from "../../fieldmanager/field-manager.ts";
import { writeManager } from "../params/field-manager-param.ts";
import { jsonResponse } from "../http-responses.ts";
import { admitObject, admitStatus } from "../admission/object-admission.ts";
import { bindToUrl, checkTypeMeta } from "../admission/object-identity.ts";
import { parseDryRun, parseFieldValidation } from "../params/query-options.ts";
import type { RestContext } from "../rest-context.ts";
import { readObjectBody } from "../admission/request-body.ts";
import { statusOnly } from "../admission/status-write.ts";
import { requireResourceVersion } from "../admission/update-preconditions.ts";

async function readUpdateBody(ctx: RestContext): Promise<Record<string, unknown>> {
  const { kind, namespace, name } = ctx.route;
  const body = await readObjectBody(ctx.req);
  checkTypeMeta(body, kind);
  bindToUrl(body, namespace, name);
  return body;
}

/** PUT on an object. */
export async function updateVerb(ctx: RestContext): Promise<Response> {
  const { kind } = ctx.route;
  const dryRun = parseDryRun(ctx.url, "UpdateOptions");
  const mode = parseFieldValidation(ctx.url, "UpdateOptions");
  const manager = writeManager(ctx.req, ctx.url, "UpdateOptions");
  const body = await readUpdateBody(ctx);
  const { object, warnings } = admitObject(kind, body, mode);
  requireResourceVersion(kind, body);
  const live = await ctx.backend.get(kind, ctx.route.namespace, ctx.route.name!);
  object.metadata.managedFields = createFieldManager(kind, "").update(live, object, manager, object.metadata.managedFields);
  const updated = await ctx.backend.update(kind, object, dryRun);
  return jsonResponse(updated, 200, warnings);
}

/** PUT on `<object>/status`. */
export async function updateStatusVerb(ctx: RestContext): Promise<Response> {
  const { kind, namespace, name } = ctx.route;
  const dryRun = parseDryRun(ctx.url, "UpdateOptions");
  const mode = parseFieldValidation(ctx.url, "UpdateOptions");
  const manager = writeManager(ctx.req, ctx.url, "UpdateOptions");
  const body = await readUpdateBody(ctx);
  const { warnings } = admitStatus(kind, body, mode);
  requireResourceVersion(kind, body);
  const live = await ctx.backend.get(kind, namespace, name!);
  const managed = createFieldManager(kind, "status").update(live, body as unknown as KubeObject, manager, undefined);
  const updated = await ctx.backend.updateStatus(kind, statusOnly(kind, namespace, name!, body, managed), dryRun);
  return jsonResponse(updated, 200, warnings);
}
