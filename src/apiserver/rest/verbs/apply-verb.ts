/**
 * Server-side apply (`application/apply-patch+yaml`) on an object or its status. The applied
 * configuration is a complete object (apiVersion, kind, metadata.name) for the URL's object and the
 * whole intent of its `fieldManager`: the field manager merges it, removes what the manager stopped
 * applying, answers 409 on fields other managers own (unless `force`) and records ownership in
 * `metadata.managedFields`. When the object does not exist it is CREATED from the configuration
 * (201; kubectl sends no GET first). An apply that changes nothing is not written.
 */
import type { KubeObject } from "../../../kinds/model.ts";
import { API_VERSION } from "../../../kinds/model.ts";
import { createFieldManager } from "../../fieldmanager/field-manager.ts";
import { statusError } from "../../status.ts";
import { isAlreadyExists } from "../error-status.ts";
import { applyFieldValidation } from "../admission/field-validation.ts";
import { jsonResponse, warningValue } from "../http-responses.ts";
import { admitObject } from "../admission/object-admission.ts";
import { bindToUrl, checkTypeMeta } from "../admission/object-identity.ts";
import { patchLive, type PatchOptions, type PatchPlan } from "../patch/patch-live.ts";
import type { RestContext } from "../rest-context.ts";
import { isJsonObject, parseYamlText } from "../admission/request-body.ts";
import { conflictError } from "../admission/update-preconditions.ts";

/** How an apply is written: the patch options plus `force`. */
export interface ApplyOptions extends Omit<PatchOptions, "createIfMissing"> {
  force: boolean;
}

/** Serves an apply patch (`text` is the YAML or JSON body) on an object or its status. */
export async function applyVerb(ctx: RestContext, text: string, o: ApplyOptions): Promise<Response> {
  const { kind, namespace } = ctx.route;
  const name = ctx.route.name!;
  const body = parseYamlText(text);
  if (!isJsonObject(body)) throw statusError.badRequest(`apply patch: the applied configuration must be a ${API_VERSION} ${kind.kind} object`);
  checkTypeMeta(body, kind);
  bindToUrl(body, namespace, name);
  const meta = body.metadata as Record<string, unknown>;
  if (meta.managedFields !== undefined && meta.managedFields !== null) throw statusError.badRequest("metadata.managedFields must be nil");
  delete meta.managedFields;
  const wantedRv = typeof meta.resourceVersion === "string" && meta.resourceVersion !== "" ? meta.resourceVersion : undefined;
  delete meta.resourceVersion;
  // Unknown fields are judged on the configuration itself: what is dropped is neither set nor owned.
  const warnings = applyFieldValidation(kind, body, o.mode);
  const fields = createFieldManager(kind, o.status ? "status" : "");

  const plan: PatchPlan = {
    apply(live) {
      if (wantedRv !== undefined && wantedRv !== live.metadata.resourceVersion) throw conflictError(kind, name);
      return fields.apply(live, body, o.manager, o.force);
    },
    setsResourceVersion: false,
    tracksOwnership: true,
  };

  const create = async (): Promise<Response> => {
    if (o.status) throw statusError.notFound(`${kind.plural}.netguard.sgroups.io "${name}" not found`, { kind: kind.plural, name });
    if (wantedRv !== undefined) throw conflictError(kind, name);
    const applied = fields.apply(undefined, body, o.manager, o.force);
    const { object, warnings: more } = admitObject(kind, applied, o.mode);
    try {
      return jsonResponse(await ctx.backend.create(kind, object as KubeObject, o.dryRun), 201, more);
    } catch (e) {
      // Created concurrently: apply to it instead.
      if (isAlreadyExists(e)) return patchLive(ctx, plan, o);
      throw e;
    }
  };
  return withWarnings(await patchLive(ctx, plan, { ...o, createIfMissing: create }), warnings);
}

/** Adds the configuration's field-validation warnings to a response. */
function withWarnings(res: Response, warnings: readonly string[]): Response {
  for (const w of warnings) res.headers.append("warning", warningValue(w));
  return res;
}
