/**
 * deletecollection (DELETE on a namespaced collection, with label/field selectors).
 *
 * Chosen semantics: every selected object that can be deleted IS deleted, even when others cannot.
 * Objects are deleted one by one (each is its own backend transaction) with the single delete's
 * in-use protection: an object still in use is accepted and left Terminating. Objects refused on a
 * pass (server-managed ones) are retried on the next pass as long as the previous pass deleted
 * something. When everything was accepted the answer is 200 with a `<Kind>List` of the deleted
 * objects (their last state; Terminating ones with their deletionTimestamp), as for custom
 * resources. When some
 * objects could not be deleted the answer is the Status of the first failure (usually 409
 * Conflict) whose message says how many were deleted and why each of the others was not, with one
 * `details.causes` entry per object left (`field` = "namespace/name"). Deleted objects are not
 * restored: a collection delete is not atomic in Kubernetes either.
 */
import type { KubeObject } from "../../../kinds/model.ts";
import { API_VERSION } from "../../../kinds/model.ts";
import type { StatusBody } from "../../status.ts";
import { StatusError } from "../../status.ts";
import { readDeleteOptions } from "../params/delete-options.ts";
import { statusFor } from "../error-status.ts";
import { jsonResponse } from "../http-responses.ts";
import type { RestContext } from "../rest-context.ts";
import { parseSelectors } from "../params/selector-params.ts";

interface Failure {
  obj: KubeObject;
  status: StatusBody;
}

/** DELETE on a namespaced collection (see the file comment for partial failures). */
export async function deleteCollectionVerb(ctx: RestContext): Promise<Response> {
  const { kind, namespace } = ctx.route;
  const selectors = parseSelectors(ctx.url, namespace);
  const opts = await readDeleteOptions(ctx.req, ctx.url);
  const page = await ctx.backend.list(kind, { namespace, ...selectors });
  const deleted: KubeObject[] = [];
  let pending = page.items;
  let failures: Failure[] = [];
  for (;;) {
    failures = [];
    for (const obj of pending) {
      try {
        deleted.push(await ctx.backend.delete(kind, obj.metadata.namespace, obj.metadata.name, {}, opts.dryRun));
      } catch (e) {
        const status = statusFor(e, kind, obj.metadata.name);
        // Deleted by someone else meanwhile: the goal is reached.
        if (status.code !== 404) failures.push({ obj, status });
      }
    }
    const progressed = failures.length < pending.length;
    pending = failures.map((f) => f.obj);
    if (failures.length === 0 || !progressed || opts.dryRun) break;
  }
  if (failures.length) {
    const first = failures[0]!.status;
    const reasons = failures.map((f) => `${f.obj.metadata.namespace}/${f.obj.metadata.name}: ${f.status.message}`);
    const total = deleted.length + failures.length;
    throw new StatusError({
      ...first,
      message: `deleted ${deleted.length} of ${total} ${kind.plural}; ${failures.length} could not be deleted: ${reasons.join("; ")}`,
      details: {
        group: first.details?.group ?? "netguard.sgroups.io",
        kind: kind.plural,
        causes: failures.map((f) => ({ reason: f.status.reason, field: `${f.obj.metadata.namespace}/${f.obj.metadata.name}`, message: f.status.message })),
      },
    });
  }
  const rvs = deleted.map((o) => Number(o.metadata.resourceVersion ?? 0));
  const resourceVersion = String(Math.max(Number(page.resourceVersion) || 0, ...rvs));
  return jsonResponse({ apiVersion: API_VERSION, kind: kind.listKind, metadata: { resourceVersion }, items: deleted });
}
