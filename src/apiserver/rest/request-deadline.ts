/**
 * Binds the backend calls of one Kubernetes request to that request: when the HTTP client goes away
 * the calls are cancelled (a write not yet sent to the backend is never sent), and the `timeout`
 * query parameter, as kube-apiserver reads it, ends the whole request at that deadline.
 */
import { parseDuration } from "../../config/duration.ts";
import type { CallOptions } from "../backend-deadline.ts";
import { statusError } from "../status.ts";

/**
 * The call options for a request. `timeout` is a Go duration ("30s", "1m"); kube-apiserver answers
 * 400 for one it cannot parse and lets it shorten, never lengthen, the server's own deadline — here
 * each backend call's configured deadline. Watches ignore it (they end with `timeoutSeconds`).
 */
export function requestCallOptions(req: Request, url: URL, watch: boolean, now = Date.now()): CallOptions {
  const raw = url.searchParams.get("timeout");
  if (watch || raw === null || raw === "") return { signal: req.signal };
  const ms = parseDuration(raw);
  if (ms === undefined) throw statusError.badRequest(`invalid timeout specified in the request URL: ${JSON.stringify(raw)}`);
  return ms > 0 ? { signal: req.signal, deadlineAt: now + ms } : { signal: req.signal };
}
