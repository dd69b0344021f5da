/**
 * Who may call the backend: a verified client certificate (CN = user, O = groups, role from the
 * netguard:read-only / netguard:read-write group) or a bearer token from the token file. Runs as a
 * connect-es interceptor, so every RPC over every protocol is checked before its handler starts;
 * the TLS peer reaches it through context values filled by the runtime's server.
 *
 * No credentials -> unauthenticated; wrong or unverifiable credentials -> unauthenticated naming
 * why; a known caller without the method's role -> permission_denied naming method and role.
 */
import { Code, ConnectError, createContextKey, type Interceptor } from "@connectrpc/connect";
import { requiredRole, roleAllows, roleFromGroups, ROLE_GROUPS, type Role } from "./roles.ts";
import type { TokenTable } from "./token-table.ts";

/** What the TLS handshake proved about the client (filled by the server's contextValues). */
export interface PeerCertificateInfo {
  authorized: boolean;
  presented: boolean;
  error?: string;
  commonName?: string;
  organizations: readonly string[];
}

/** An authenticated caller. */
export interface BackendIdentity {
  name: string;
  groups: readonly string[];
  role: Role | undefined;
  via: "certificate" | "token";
}

/** The TLS peer of the request (undefined over plaintext or without a certificate). */
export const kPeerCertificate = createContextKey<PeerCertificateInfo | undefined>(undefined, { description: "TLS client certificate" });
/** The authenticated caller, set by the interceptor for handlers that want it (audit, logs). */
export const kBackendIdentity = createContextKey<BackendIdentity | undefined>(undefined, { description: "backend caller" });

export interface BackendAuthOptions {
  /** Client certificates verified against a client CA count as credentials. */
  clientCertificates: boolean;
  /** The current token table (reloaded by the caller); undefined = tokens not accepted. */
  tokens?: () => TokenTable;
}

export interface BackendAuth {
  /** Authenticates a request's Authorization header and TLS peer; throws ConnectError(unauthenticated). */
  authenticate(authorization: string | null | undefined, peer: PeerCertificateInfo | undefined, what: string): BackendIdentity;
  /** Checks every RPC: authenticated, and holding the method's role. */
  readonly interceptor: Interceptor;
}

function unauthenticated(message: string): ConnectError {
  return new ConnectError(message, Code.Unauthenticated);
}

/** Creates the authenticator; use it only when at least one mechanism is configured. */
export function createBackendAuth(o: BackendAuthOptions): BackendAuth {
  const accepted = [o.clientCertificates ? "a client certificate" : "", o.tokens ? "an Authorization: Bearer token" : ""].filter(Boolean).join(" or ");
  const authenticate: BackendAuth["authenticate"] = (authorization, peer, what) => {
    if (authorization) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
      if (!m) throw unauthenticated(`${what}: the Authorization header must be "Bearer <token>"`);
      if (!o.tokens) throw unauthenticated(`${what}: bearer tokens are not accepted by this backend (no backend.token_file); use ${accepted}`);
      const user = o.tokens().get(m[1]!);
      if (!user) throw unauthenticated(`${what}: the bearer token is not valid`);
      return { name: user.name, groups: [], role: user.role, via: "token" };
    }
    if (peer?.presented) {
      if (!o.clientCertificates) throw unauthenticated(`${what}: client certificates are not accepted by this backend; use ${accepted}`);
      if (!peer.authorized) throw unauthenticated(`${what}: the client certificate was not verified against backend.tls.client_ca_file (${peer.error ?? "unverified"})`);
      if (!peer.commonName) throw unauthenticated(`${what}: the client certificate has no subject common name (the user)`);
      return { name: peer.commonName, groups: peer.organizations, role: roleFromGroups(peer.organizations), via: "certificate" };
    }
    throw unauthenticated(`${what} needs credentials: ${accepted}`);
  };
  const interceptor: Interceptor = (next) => async (req) => {
    const method = req.method.name;
    const need = requiredRole(method);
    const id = authenticate(req.header.get("authorization"), req.contextValues.get(kPeerCertificate), method);
    if (!roleAllows(id.role, need)) {
      const has = id.role
        ? `has the ${id.role} role`
        : `has no netguard role (certificate groups ${id.groups.length ? id.groups.join(", ") : "none"}; add O=${ROLE_GROUPS[need]})`;
      throw new ConnectError(`${method} needs the ${need} role; ${id.via === "token" ? "token user" : "user"} "${id.name}" ${has}`, Code.PermissionDenied);
    }
    req.contextValues.set(kBackendIdentity, id);
    return next(req);
  };
  return { authenticate, interceptor };
}
