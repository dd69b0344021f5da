/**
 * `GET /api/v1/namespaces/<name>`: a minimal, always-Active Namespace. kubectl 1.32 checks whether
 * the namespace exists after a NotFound on a namespaced get and, when that check 404s too, replaces
 * the real error (`services.netguard.sgroups.io "x" not found`) by a generic one. netguard
 * namespaces are plain strings that exist as soon as they are named, so answering "it exists"
 * is true here. Behind kube-apiserver (aggregated) this route is never reached.
 */
import { statusError } from "../status.ts";
import { jsonResponse } from "./http-responses.ts";

const PATH = /^\/api\/v1\/namespaces\/([^/]+)\/?$/;

/** The namespace lookup route; undefined for any other request. */
export function createNamespaceLookupHandler(): (req: Request, url: URL) => Promise<Response | undefined> {
  return async (req, url) => {
    if (req.method !== "GET") return undefined;
    const m = PATH.exec(url.pathname);
    if (!m) return undefined;
    let name: string;
    try {
      name = decodeURIComponent(m[1]!);
    } catch {
      throw statusError.badRequest("invalid namespace name in the URL");
    }
    return jsonResponse({ kind: "Namespace", apiVersion: "v1", metadata: { name }, spec: { finalizers: ["kubernetes"] }, status: { phase: "Active" } });
  };
}
