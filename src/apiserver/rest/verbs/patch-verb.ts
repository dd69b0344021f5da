/**
 * PATCH on an object or its status: merge patch (RFC 7386), JSON patch (RFC 6902) and server-side
 * apply. Patch options are validated as kube-apiserver does: apply needs a `fieldManager` (at most
 * 128 printable bytes, as for every write), `force` is only for apply.
 */
import type { FieldViolation } from "../../../kinds/violations.ts";
import { statusError } from "../../status.ts";
import { applyVerb } from "./apply-verb.ts";
import { applyJsonPatch, jsonPatchTouchesResourceVersion, parseJsonPatch } from "../patch/json-patch.ts";
import { applyMergePatch } from "../patch/merge-patch.ts";
import { patchLive, type PatchPlan } from "../patch/patch-live.ts";
import { patchTypeOf, type PatchType } from "../patch/patch-types.ts";
import { fieldManagerViolations, writeManager } from "../params/field-manager-param.ts";
import { invalidOptions, parseDryRun, parseFieldValidation, queryFlag } from "../params/query-options.ts";
import type { RestContext } from "../rest-context.ts";
import { isJsonObject, parseJson } from "../admission/request-body.ts";

function checkPatchOptions(url: URL, type: PatchType): void {
  const errs: FieldViolation[] = fieldManagerViolations(url.searchParams.get("fieldManager") ?? "");
  if (type === "apply" && !url.searchParams.get("fieldManager")) {
    errs.push({ field: "fieldManager", reason: "FieldValueRequired", message: "Required value: is required for apply patch" });
  }
  if (type !== "apply" && url.searchParams.has("force")) {
    errs.push({ field: "force", reason: "FieldValueForbidden", message: "Forbidden: may not be specified for non-apply patch" });
  }
  if (errs.length) throw invalidOptions("PatchOptions", errs);
}

function mergePlan(text: string): PatchPlan {
  const patch = parseJson(text);
  if (!isJsonObject(patch)) throw statusError.badRequest("merge patch: the patch must be a JSON object");
  const meta = patch.metadata;
  return {
    apply: (live) => applyMergePatch(live, patch),
    setsResourceVersion: isJsonObject(meta) && typeof meta.resourceVersion === "string",
  };
}

function jsonPlan(text: string): PatchPlan {
  const ops = parseJsonPatch(parseJson(text));
  return { apply: (live) => applyJsonPatch(live, ops), setsResourceVersion: jsonPatchTouchesResourceVersion(ops) };
}

/** PATCH on an object (`status` false) or on its status subresource. */
export async function patchVerb(ctx: RestContext, status: boolean): Promise<Response> {
  const type = patchTypeOf(ctx.req.headers.get("content-type"));
  const dryRun = parseDryRun(ctx.url, "PatchOptions");
  const mode = parseFieldValidation(ctx.url, "PatchOptions");
  checkPatchOptions(ctx.url, type);
  const text = await ctx.req.text();
  if (text.trim() === "") throw statusError.badRequest("the patch body is empty");
  const manager = writeManager(ctx.req, ctx.url, "PatchOptions");
  if (type === "apply") return applyVerb(ctx, text, { status, mode, dryRun, manager, force: queryFlag(ctx.url, "force") });
  const plan = type === "merge" ? mergePlan(text) : jsonPlan(text);
  return patchLive(ctx, plan, { status, mode, dryRun, manager });
}
