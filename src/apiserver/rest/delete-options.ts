/**
 * DeleteOptions of a DELETE request: the optional JSON body (`{"propagationPolicy":"Background"}`
 * from kubectl; `preconditions` and `dryRun` from API clients) plus the `dryRun` query parameter.
 * Grace periods and propagation policies are accepted and have no effect: netguard objects have no
 * owner references to collect, and what holds a delete is in-use protection, not a grace period.
 */
import type { Preconditions } from "../backend-client.ts";
import { statusError } from "../status.ts";
import { parseDryRun } from "./query-options.ts";
import { isJsonObject, parseJson } from "./request-body.ts";

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
  const dryRunBody = body.dryRun === undefined || body.dryRun === null ? [] : Array.isArray(body.dryRun) ? body.dryRun : [body.dryRun];
  const dryRun = parseDryRun(url, "DeleteOptions", dryRunBody);
  const pre = isJsonObject(body.preconditions) ? body.preconditions : {};
  const preconditions: Preconditions = {};
  if (typeof pre.resourceVersion === "string" && pre.resourceVersion) preconditions.resourceVersion = pre.resourceVersion;
  if (typeof pre.uid === "string" && pre.uid) preconditions.uid = pre.uid;
  return { preconditions, dryRun };
}
