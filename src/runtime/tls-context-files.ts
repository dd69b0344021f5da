/**
 * The backend's serving certificate, key and (optional) client CA as a reloading TLS secure
 * context: the connect server asks for the current one on every accepted connection, so a
 * certificate renewed on disk is served to new connections within one poll interval while open
 * connections keep the context they were made with.
 */
import * as tls from "node:tls";
import { createReloadingFiles, type ReloadingFiles } from "./reloading-files.ts";

export interface TlsFiles {
  certFile: string;
  keyFile: string;
  /** Client certificates must chain to this bundle to count as authenticated. */
  clientCaFile?: string;
}

/** Builds the secure context now (throws naming the files) and rebuilds it when they change. */
export function createTlsContextFiles(f: TlsFiles, o: { intervalMs?: number; log?: (line: string) => void } = {}): ReloadingFiles<tls.SecureContext> {
  const log = o.log ?? console.warn;
  const paths = [f.certFile, f.keyFile, ...(f.clientCaFile ? [f.clientCaFile] : [])];
  const build = ([cert, key, ca]: string[]) => {
    try {
      return tls.createSecureContext({ cert, key, ca });
    } catch (e) {
      throw new Error(`TLS files ${paths.join(", ")}: ${(e as Error).message}`);
    }
  };
  return createReloadingFiles(paths, build, {
    intervalMs: o.intervalMs,
    onReload: () => log(`backend: TLS certificate reloaded from ${f.certFile}; new connections use it`),
    onError: (e) => log(`backend: TLS files changed but could not be loaded, keeping the previous certificate: ${e.message}`),
  });
}
