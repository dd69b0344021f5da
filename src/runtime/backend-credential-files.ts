/**
 * The API server's credentials toward the backend, read from files: the CA that must have signed
 * the backend's certificate, the client certificate and key, and a bearer token file (the token on
 * its first non-comment line). The token file is re-read when it changes, so a rotated token is
 * sent from the next call on; certificates are read at start (a new client certificate needs a
 * restart of the API server — its HTTP/2 connection is long-lived anyway).
 */
import { readFileSync } from "node:fs";
import type { ApiBackendAccessConfig } from "../config/config.ts";
import type { BackendClientTls } from "../apiserver/backend-client.ts";
import { createReloadingFiles } from "./reloading-files.ts";

export interface BackendClientCredentials {
  tls?: BackendClientTls;
  token?: () => string | undefined;
  stop(): void;
}

/** Reads a token file's token; throws naming the file (never the token) when there is none. */
export function parseClientTokenFile(text: string, source: string): string {
  const line = text.split(/\r?\n/).map((l) => l.trim()).find((l) => l !== "" && !l.startsWith("#"));
  if (!line) throw new Error(`${source}: no token (the first non-comment line holds it)`);
  if (!/^[\x21-\x7e]+$/.test(line)) throw new Error(`${source}: the token must be printable characters without spaces`);
  return line;
}

function readPem(path: string, what: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    throw new Error(`${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** Loads the configured files (throws at start on a missing or empty file). */
export function loadBackendClientCredentials(
  a: ApiBackendAccessConfig,
  o: { intervalMs?: number; log?: (line: string) => void } = {},
): BackendClientCredentials {
  const log = o.log ?? console.warn;
  const tls: BackendClientTls | undefined =
    a.caFile || a.certFile
      ? {
          ca: a.caFile ? readPem(a.caFile, "api.backend_tls.ca_file") : undefined,
          cert: a.certFile ? readPem(a.certFile, "api.backend_tls.cert_file") : undefined,
          key: a.keyFile ? readPem(a.keyFile, "api.backend_tls.key_file") : undefined,
        }
      : undefined;
  if (!a.tokenFile) return { tls, stop: () => undefined };
  const file = a.tokenFile;
  const token = createReloadingFiles([file], ([text]) => parseClientTokenFile(text!, file), {
    intervalMs: o.intervalMs,
    onReload: () => log(`apiserver: backend token file ${file} reloaded`),
    onError: (e) => log(`apiserver: backend token file changed but could not be read, keeping the previous token: ${e.message}`),
  });
  return { tls, token: () => token.current(), stop: () => token.stop() };
}
