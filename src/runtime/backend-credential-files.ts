/**
 * The API server's credentials toward the backend, read from files: the CA that must have signed
 * the backend's certificate, the client certificate and key, and a bearer token file (the token on
 * its first non-comment line). All of them are re-read when they change: a rotated token is sent
 * from the next call on, and rotated certificates (cert-manager renewing the client certificate)
 * are used by a new connection for the next calls and watches, while open streams finish on the
 * old one — no restart of the API server.
 */
import { readFileSync } from "node:fs";
import type { ApiBackendAccessConfig } from "../config/config.ts";
import type { BackendClientTls } from "../apiserver/backend-client.ts";
import { createReloadingFiles } from "./reloading-files.ts";

export interface BackendClientCredentials {
  /** The newest good TLS material (a new object after each successful reload). */
  tls?: () => BackendClientTls;
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
  const pemFiles: { field: "ca" | "cert" | "key"; path: string; what: string }[] = [];
  if (a.caFile) pemFiles.push({ field: "ca", path: a.caFile, what: "api.backend_tls.ca_file" });
  if (a.certFile) pemFiles.push({ field: "cert", path: a.certFile, what: "api.backend_tls.cert_file" });
  if (a.keyFile) pemFiles.push({ field: "key", path: a.keyFile, what: "api.backend_tls.key_file" });
  // the first read names the setting and file of a missing one (start-up stops on it)
  for (const f of pemFiles) readPem(f.path, f.what);
  const tlsFiles =
    a.caFile || a.certFile
      ? createReloadingFiles(
          pemFiles.map((f) => f.path),
          (contents) => {
            const m: BackendClientTls = {};
            pemFiles.forEach((f, i) => (m[f.field] = contents[i]));
            if (m.cert && !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(m.key ?? "")) throw new Error("api.backend_tls.key_file: no PEM private key");
            return m;
          },
          {
            intervalMs: o.intervalMs,
            onReload: () => log("apiserver: backend TLS files reloaded; new backend calls use a new connection"),
            onError: (e) => log(`apiserver: backend TLS files changed but could not be read, keeping the previous ones: ${e.message}`),
          },
        )
      : undefined;
  const tls = tlsFiles ? () => tlsFiles.current() : undefined;
  if (!a.tokenFile) return { tls, stop: () => tlsFiles?.stop() };
  const file = a.tokenFile;
  const token = createReloadingFiles([file], ([text]) => parseClientTokenFile(text!, file), {
    intervalMs: o.intervalMs,
    onReload: () => log(`apiserver: backend token file ${file} reloaded`),
    onError: (e) => log(`apiserver: backend token file changed but could not be read, keeping the previous token: ${e.message}`),
  });
  return {
    tls,
    token: () => token.current(),
    stop: () => {
      token.stop();
      tlsFiles?.stop();
    },
  };
}
