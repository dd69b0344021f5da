/**
 * The read-modify-write loop shared by every patch type: read the live object, apply the patch,
 * admit the result and write it with the live resourceVersion. A `metadata.resourceVersion` set by
 * the patch itself is a precondition (409 when it differs from the live one, and no retry); an
 * unconditional patch that loses a race is retried on a fresh read, as kube-apiserver does. Each
 * attempt records field ownership against the object it read: an Update by `o.manager` for merge
 * and JSON patches, while server-side apply plans set managedFields themselves.
 */
import type { KubeObject } from "../../../kinds/model.ts";
import { createFieldManager } from "../../fieldmanager/field-manager.ts";
import { statusError } from "../../status.ts";
import { isConflict, isNotFound } from "../error-status.ts";
import { jsonResponse } from "../http-responses.ts";
import { admitObject, admitStatus } from "../admission/object-admission.ts";
import { bindToUrl, checkTypeMeta } from "../admission/object-identity.ts";
import type { FieldValidation } from "../params/query-options.ts";
import type { RestContext } from "../rest-context.ts";
import { isJsonObject } from "../admission/request-body.ts";
import { statusOnly } from "../admission/status-write.ts";
import { conflictError } from "../admission/update-preconditions.ts";

/** A patch, independent of its wire format. */
export interface PatchPlan {
  /** The live object with the patch applied (a new value; `live` is not modified). */
  apply(live: KubeObject): unknown;
  /** Whether the patch itself sets `metadata.resourceVersion` (a precondition then). */
  setsResourceVersion: boolean;
  /** True when `apply` already sets managedFields (server-side apply); else an Update is recorded. */
  tracksOwnership?: boolean;
}

/** How a patch is written. */
export interface PatchOptions {
  status: boolean;
  mode: FieldValidation;
  dryRun: boolean;
  /** The manager an Update is recorded under (fieldManager or User-Agent). */
  manager: string;
  /** Called when the object does not exist (server-side apply creates it); undefined → 404. */
  createIfMissing?: () => Promise<Response>;
}

const MAX_ATTEMPTS = 5;

/** Applies `plan` to the live object and writes the result (status only when `o.status`). */
export async function patchLive(ctx: RestContext, plan: PatchPlan, o: PatchOptions): Promise<Response> {
  const { kind, namespace } = ctx.route;
  const name = ctx.route.name!;
  for (let attempt = 1; ; attempt++) {
    let live: KubeObject;
    try {
      live = await ctx.backend.get(kind, namespace, name);
    } catch (e) {
      if (isNotFound(e) && o.createIfMissing) return o.createIfMissing();
      throw e;
    }
    const patched = plan.apply(live);
    if (!isJsonObject(patched)) throw statusError.badRequest("the patched object must be a JSON object");
    checkTypeMeta(patched, kind);
    bindToUrl(patched, namespace, name);
    // A patch may leave `metadata` a non-object (`{"metadata":-1}`): 422 for object and status alike.
    const meta = patched.metadata;
    if (!isJsonObject(meta)) {
      throw statusError.invalid(kind.kind, name, [{ field: "metadata", reason: "FieldValueInvalid", message: "Invalid value: the patched metadata must be an object" }]);
    }
    const wanted = meta.resourceVersion;
    const conditional = plan.setsResourceVersion && typeof wanted === "string" && wanted !== "";
    if (conditional && wanted !== live.metadata.resourceVersion) throw conflictError(kind, name);
    meta.resourceVersion = live.metadata.resourceVersion;
    try {
      if (o.status) {
        const { warnings } = admitStatus(kind, patched, o.mode);
        const managed = plan.tracksOwnership
          ? meta.managedFields
          : createFieldManager(kind, "status").update(live, patched as unknown as KubeObject, o.manager, undefined);
        const out = await ctx.backend.updateStatus(kind, statusOnly(kind, namespace, name, patched, managed), o.dryRun);
        return jsonResponse(out, 200, warnings);
      }
      const { object, warnings } = admitObject(kind, patched, o.mode);
      if (!plan.tracksOwnership) {
        object.metadata.managedFields = createFieldManager(kind, "").update(live, object, o.manager, object.metadata.managedFields);
      }
      const out = await ctx.backend.update(kind, object, o.dryRun);
      return jsonResponse(out, 200, warnings);
    } catch (e) {
      if (!conditional && isConflict(e) && attempt < MAX_ATTEMPTS) continue;
      throw e;
    }
  }
}
