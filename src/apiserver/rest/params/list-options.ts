/**
 * ListOptions of list and watch requests, read from the query the way kube-apiserver reads them:
 * conversion first (malformed numbers → 400 BadRequest), then apimachinery's ListOptions
 * validation (forbidden or unsupported `resourceVersionMatch`/`sendInitialEvents` combinations →
 * 422 Invalid on ListOptions.meta.k8s.io, every violation listed as a cause), then the storage
 * layer's checks (an unparsable resourceVersion, a resourceVersion together with `continue` → 400).
 */
import { violation, type FieldViolation } from "../../../kinds/violations.ts";
import { statusError } from "../../status.ts";
import { invalidOptions, queryInt64, queryOptionalFlag } from "./query-options.ts";

export type ResourceVersionMatch = "" | "NotOlderThan" | "Exact";

export interface ListOptions {
  /** The raw `resourceVersion` ("" when absent). */
  resourceVersion: string;
  /** Its value; 0 for "" and "0" (any version will do). */
  minResourceVersion: number;
  resourceVersionMatch: ResourceVersionMatch;
  /** undefined when absent (a `*bool` in Kubernetes: explicitly false differs from absent). */
  sendInitialEvents?: boolean;
  continueToken: string;
  /** Page size; undefined when absent or ≤ 0 (Kubernetes: no limit). */
  limit?: number;
  /** Server-side watch timeout as given (0 or absent → the default; negative → ends at once). */
  timeoutSeconds?: number;
}

/** The largest page the backend accepts (its limit is an int32); larger limits mean "all". */
const MAX_LIMIT = 2 ** 31 - 1;

const forbidden = (field: string, detail: string) => violation.forbidden(field, `Forbidden: ${detail}`);
const notSupported = violation.notSupported;

/** The rules of apimachinery's ValidateListOptions (watch rules when `watch`), with WatchList on. */
function violations(o: ListOptions, rawMatch: string, watch: boolean): FieldViolation[] {
  const out: FieldViolation[] = [];
  const M = "resourceVersionMatch";
  if (watch) {
    if (o.sendInitialEvents !== undefined && rawMatch !== "NotOlderThan") {
      out.push(forbidden(M, "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"));
    }
    if (rawMatch) {
      if (o.sendInitialEvents === undefined) out.push(forbidden(M, "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"));
      if (rawMatch !== "NotOlderThan") out.push(notSupported(M, rawMatch, ["NotOlderThan"]));
      if (o.continueToken) out.push(forbidden(M, "resourceVersionMatch is forbidden when continue is provided"));
    }
    return out;
  }
  if (rawMatch) {
    if (!o.resourceVersion) out.push(forbidden(M, "resourceVersionMatch is forbidden unless resourceVersion is provided"));
    if (o.continueToken) out.push(forbidden(M, "resourceVersionMatch is forbidden when continue is provided"));
    if (rawMatch !== "Exact" && rawMatch !== "NotOlderThan") out.push(notSupported(M, rawMatch, ["Exact", "NotOlderThan", ""]));
    if (rawMatch === "Exact" && o.resourceVersion === "0") out.push(forbidden(M, 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"'));
  }
  if (o.sendInitialEvents !== undefined) out.push(forbidden("sendInitialEvents", "sendInitialEvents is forbidden for list"));
  return out;
}

/** A resourceVersion as the storage layer parses it (an unsigned decimal), or a 400 like kube-apiserver's. */
function parseResourceVersion(rv: string): number {
  if (rv === "" || rv === "0") return 0;
  if (!/^\d+$/.test(rv)) {
    throw statusError.badRequest(
      `invalid resource version: resourceVersion: Invalid value: ${JSON.stringify(rv)}: strconv.ParseUint: parsing ${JSON.stringify(rv)}: invalid syntax`,
    );
  }
  return Number(rv);
}

/** Reads and checks the ListOptions of a list (`watch` false) or watch request; throws a StatusError. */
export function parseListOptions(url: URL, watch: boolean): ListOptions {
  const q = url.searchParams;
  const limit = queryInt64(url, "limit");
  const timeoutSeconds = queryInt64(url, "timeoutSeconds");
  const rawMatch = q.get("resourceVersionMatch") ?? "";
  const o: ListOptions = {
    resourceVersion: q.get("resourceVersion") ?? "",
    minResourceVersion: 0,
    resourceVersionMatch: rawMatch === "Exact" || rawMatch === "NotOlderThan" ? rawMatch : "",
    sendInitialEvents: queryOptionalFlag(url, "sendInitialEvents"),
    continueToken: q.get("continue") ?? "",
    limit: limit !== undefined && limit > 0 ? Math.min(limit, MAX_LIMIT) : undefined,
    timeoutSeconds,
  };
  const errs = violations(o, rawMatch, watch);
  if (errs.length) throw invalidOptions("ListOptions", errs);
  if (!watch && o.continueToken && o.resourceVersion !== "" && o.resourceVersion !== "0") {
    throw statusError.badRequest("specifying resource version is not allowed when using continue");
  }
  o.minResourceVersion = parseResourceVersion(o.resourceVersion);
  return o;
}
