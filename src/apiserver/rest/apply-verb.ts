/**
 * Server-side apply (`application/apply-patch+yaml`), the semantics netguard implements: the
 * applied configuration is a complete object (apiVersion, kind, metadata.name) for the URL's
 * object. When the object does not exist it is CREATED from it (201; kubectl sends no GET first).
 * Otherwise the configuration is merged into the live object like a JSON merge patch: maps merge,
 * lists and scalars are replaced, `null` removes. netguard does not track field ownership
 * (managedFields), so fields a manager stopped applying are not removed and `force` never matters.
 */
import { API_VERSION } from "../../kinds/model.ts";
import { statusError } from "../status.ts";
import { isAlreadyExists } from "./error-status.ts";
import { jsonResponse } from "./http-responses.ts";
import { applyMergePatch } from "./merge-patch.ts";
import { admitObject } from "./object-admission.ts";
import { bindToUrl, checkTypeMeta } from "./object-identity.ts";
import { patchLive, type PatchOptions } from "./patch-live.ts";
import type { RestContext } from "./rest-context.ts";
import { isJsonObject, parseYamlText } from "./request-body.ts";
import { conflictError } from "./update-preconditions.ts";

/** Serves an apply patch (`text` is the YAML or JSON body) on an object or its status. */
export async function applyVerb(ctx: RestContext, text: string, o: Omit<PatchOptions, "createIfMissing">): Promise<Response> {
  const { kind, namespace } = ctx.route;
  const name = ctx.route.name!;
  const body = parseYamlText(text);
  if (!isJsonObject(body)) throw statusError.badRequest(`apply patch: the applied configuration must be a ${API_VERSION} ${kind.kind} object`);
  checkTypeMeta(body, kind);
  bindToUrl(body, namespace, name);
  const meta = body.metadata as Record<string, unknown>;
  const setsResourceVersion = typeof meta.resourceVersion === "string" && meta.resourceVersion !== "";

  const create = async (): Promise<Response> => {
    if (o.status) throw statusError.notFound(`${kind.plural}.netguard.sgroups.io "${name}" not found`, { kind: kind.plural, name });
    if (setsResourceVersion) throw conflictError(kind, name);
    const { object, warnings } = admitObject(kind, structuredClone(body), o.mode);
    try {
      return jsonResponse(await ctx.backend.create(kind, object, o.dryRun), 201, warnings);
    } catch (e) {
      // Created concurrently: apply to it instead.
      if (isAlreadyExists(e)) return patchLive(ctx, { apply: (live) => applyMergePatch(live, body), setsResourceVersion }, o);
      throw e;
    }
  };
  return patchLive(ctx, { apply: (live) => applyMergePatch(live, body), setsResourceVersion }, { ...o, createIfMissing: create });
}
