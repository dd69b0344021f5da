/**
 * Front-proxy authentication (k8s.io/apiserver's requestheader authenticator): the user named in
 * `X-Remote-User`, groups from `X-Remote-Group`, extra from `X-Remote-Extra-<key>` (all names
 * configurable) — believed ONLY when the connection's client certificate chains to the front-proxy
 * CA (`api.requestheader.client_ca_file`) and, if `allowed_names` is not empty, its CN is listed.
 * Without such a certificate the headers authenticate nobody (anyone can send headers); with a
 * certificate that fails the check the request is refused, as kube-apiserver does.
 *
 * One difference from Go's net/http: a fetch handler sees repeated headers joined with ", ", so
 * group and extra values are split at commas (a group name containing a comma cannot be sent).
 */
import type { CertPool } from "../../runtime/cert-pool.ts";
import type { Authenticator } from "./authn-types.ts";

export interface RequestHeaderOptions {
  /** The front-proxy CA bundle; undefined = front-proxy authentication is off. */
  pool: () => CertPool | undefined;
  /** CNs a front-proxy certificate may have; empty = any certificate of the CA. */
  allowedNames: readonly string[];
  usernameHeaders: readonly string[];
  groupHeaders: readonly string[];
  extraHeaderPrefixes: readonly string[];
}

function splitValues(v: string | null): string[] {
  if (v === null) return [];
  return v
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/** Go's url.PathUnescape of an extra key; a malformed escape keeps the key as it came. */
function unescapeExtraKey(k: string): string {
  try {
    return decodeURIComponent(k);
  } catch {
    return k;
  }
}

export function createRequestHeaderAuthenticator(o: RequestHeaderOptions): Authenticator {
  const allowed = new Set(o.allowedNames);
  const prefixes = o.extraHeaderPrefixes.map((p) => p.toLowerCase()).filter((p) => p !== "");
  return (req, conn) => {
    if (o.usernameHeaders.length === 0) return undefined;
    const peer = conn.tls?.peer;
    const roots = o.pool();
    if (!peer || !roots) return undefined;
    const err = roots.verify(peer.chain);
    if (err) return { error: `unable to verify the front proxy's client certificate: ${err}` };
    if (allowed.size > 0 && !allowed.has(peer.commonName)) {
      return { error: `x509: subject with cn=${peer.commonName} is not in the allowed list` };
    }
    const name = o.usernameHeaders.map((h) => req.headers.get(h) ?? "").find((v) => v !== "");
    if (!name) return undefined;
    const groups = o.groupHeaders.flatMap((h) => splitValues(req.headers.get(h)));
    const extra: Record<string, string[]> = Object.create(null);
    req.headers.forEach((value, header) => {
      const prefix = prefixes.find((p) => header.startsWith(p));
      if (!prefix) return;
      const key = unescapeExtraKey(header.slice(prefix.length)).toLowerCase();
      if (key === "") return;
      (extra[key] ??= []).push(...splitValues(value));
    });
    return { user: { name, groups, extra: { ...extra } } };
  };
}
