/**
 * Builds the API server's authentication from its settings, in kube-apiserver's order: front
 * proxy (requestheader), client certificate (x509), bearer token file. Shared by src/main.ts and
 * the tests, so the tests exercise the wiring that ships.
 */
import type { ServingTls } from "../serving-tls.ts";
import { createAuthentication, type Authenticate } from "./authn.ts";
import { createRequestHeaderAuthenticator } from "./authn-request-header.ts";
import { createTokenFileAuthenticator } from "./authn-token-file.ts";
import type { Authenticator } from "./authn-types.ts";
import { createX509Authenticator } from "./authn-x509.ts";

export interface AuthnSettings {
  requestHeaderAllowedNames: readonly string[];
  requestHeaderUsernameHeaders: readonly string[];
  requestHeaderGroupHeaders: readonly string[];
  requestHeaderExtraHeaderPrefixes: readonly string[];
  tokenFile?: string;
  anonymousDiscovery: boolean;
  reloadIntervalMs: number;
}

export interface ApiAuthentication {
  authenticate: Authenticate;
  stop(): void;
}

/** Reads the token file now (throws when invalid); certificates come from `tls`. */
export function createApiAuthentication(s: AuthnSettings, tls: ServingTls | undefined, log: (msg: string) => void): ApiAuthentication {
  const authenticators: Authenticator[] = [];
  if (tls) {
    authenticators.push(
      createRequestHeaderAuthenticator({
        pool: tls.frontProxyPool,
        allowedNames: s.requestHeaderAllowedNames,
        usernameHeaders: s.requestHeaderUsernameHeaders,
        groupHeaders: s.requestHeaderGroupHeaders,
        extraHeaderPrefixes: s.requestHeaderExtraHeaderPrefixes,
      }),
      createX509Authenticator(tls.clientPool),
    );
  }
  const tokens = s.tokenFile ? createTokenFileAuthenticator(s.tokenFile, { pollMs: s.reloadIntervalMs, log }) : undefined;
  if (tokens) authenticators.push(tokens.authenticate);
  return {
    authenticate: createAuthentication({ authenticators, anonymousDiscovery: s.anonymousDiscovery, log }),
    stop: () => tokens?.stop(),
  };
}
