/**
 * DeleteOptions of a DELETE request: the optional JSON body (`{"propagationPolicy":"Background"}`
 * from kubectl; `preconditions` and `dryRun` from API clients) plus the `dryRun` query parameter.
 * Grace periods and propagation policies are accepted and have no effect: netguard objects have no
 * owner references to collect, and what holds a delete is in-use protection, not a grace period.
 * They are still validated as kube-apiserver does, so a malformed request is refused before
 * anything is deleted: a non-integer `gracePeriodSeconds` is 400, an unknown `propagationPolicy`
 * 422 on DeleteOptions.
 */
import type { Preconditions } from "../../backend-client.ts";
import { statusError } from "../../status.ts";
import { invalidOptions, parseDryRun, queryInt64 } from "./query-options.ts";
import { isJsonObject, parseJson } from "../admission/request-body.ts";

/** What a DELETE asks for beyond the object's identity. */
export interface DeleteOptions {
  preconditions: Preconditions;
  dryRun: boolean;
}

/** Reads the DeleteOptions body (optional) and the dryRun parameter; malformed → 400. */
export async function readDeleteOptions(req: Request, url: URL): Promise<DeleteOptions> {
  const text = await req.text();
  let body: Record<string, unknown> = {};
  if (text.trim() !== "") {
    const parsed = parseJson(text);
    if (!isJsonObject(parsed)) throw statusError.badRequest("the DeleteOptions body must be a JSON object");
    if (parsed.kind !== undefined && parsed.kind !== "DeleteOptions") {
      throw statusError.badRequest(`the request body must be DeleteOptions, not ${String(parsed.kind)}`);
    }
    body = parsed;
  }
  checkIgnoredOptions(url, body);
  const dryRunBody = body.dryRun === undefined || body.dryRun === null ? [] : Array.isArray(body.dryRun) ? body.dryRun : [body.dryRun];
  const dryRun = parseDryRun(url, "DeleteOptions", dryRunBody);
  const pre = isJsonObject(body.preconditions) ? body.preconditions : {};
  const preconditions: Preconditions = {};
  if (typeof pre.resourceVersion === "string" && pre.resourceVersion) preconditions.resourceVersion = pre.resourceVersion;
  if (typeof pre.uid === "string" && pre.uid) preconditions.uid = pre.uid;
  return { preconditions, dryRun };
}

const POLICIES = ["Foreground", "Background", "Orphan"];

/** Validates the options that have no effect here (grace period, propagation policy). */
function checkIgnoredOptions(url: URL, body: Record<string, unknown>): void {
  queryInt64(url, "gracePeriodSeconds");
  const grace = body.gracePeriodSeconds;
  if (grace !== undefined && grace !== null && !Number.isSafeInteger(grace)) {
    throw statusError.badRequest(`the DeleteOptions body is invalid: gracePeriodSeconds must be an integer, not ${JSON.stringify(grace)}`);
  }
  const fromBody = body.propagationPolicy;
  if (fromBody !== undefined && fromBody !== null && typeof fromBody !== "string") {
    throw statusError.badRequest("the DeleteOptions body is invalid: propagationPolicy must be a string");
  }
  const policy = url.searchParams.get("propagationPolicy") ?? fromBody;
  if (typeof policy === "string" && !POLICIES.includes(policy)) {
    const supported = POLICIES.map((p) => JSON.stringify(p)).join(", ");
    throw invalidOptions("DeleteOptions", [
      { field: "propagationPolicy", reason: "FieldValueNotSupported", message: `Unsupported value: ${JSON.stringify(policy)}: supported values: ${supported}` },
    ]);
  }
}
