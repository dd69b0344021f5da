/**
 * The API server's TLS files — serving certificate and key, the client CA bundle and the front
 * proxy's CA bundle — read at start (a bad file stops start-up) and re-read when they change on
 * disk, so a rotated certificate is served to new connections without a restart and without
 * dropping open watches. The TLS layer is offered the union of both CA bundles (it only requests
 * and checks certificates); authentication then checks each bundle on its own.
 */
import { createCertPool, type CertPool } from "../runtime/cert-pool.ts";
import type { TlsMaterial } from "../runtime/serve-fetch.ts";
import { createReloadingFiles } from "../runtime/reloading-files.ts";

export interface ServingTlsFiles {
  certFile: string;
  keyFile: string;
  clientCaFile?: string;
  requestHeaderClientCaFile?: string;
}

/** The current TLS material and CA pools, kept up to date with the files. */
export interface ServingTls {
  material(): TlsMaterial;
  clientPool(): CertPool | undefined;
  frontProxyPool(): CertPool | undefined;
  /** Called with new material after a successful reload. */
  onReload(fn: (m: TlsMaterial) => void): void;
  stop(): void;
}

interface Loaded {
  material: TlsMaterial;
  client?: CertPool;
  frontProxy?: CertPool;
}

function build(f: ServingTlsFiles, contents: string[]): Loaded {
  const [cert, key, ...rest] = contents as [string, string, ...string[]];
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(key)) throw new Error(`${f.keyFile}: no PEM private key found`);
  createCertPool(cert, f.certFile); // the serving certificate must at least parse
  let i = 0;
  const clientCa = f.clientCaFile ? rest[i++] : undefined;
  const rhCa = f.requestHeaderClientCaFile ? rest[i++] : undefined;
  const client = clientCa !== undefined ? createCertPool(clientCa, f.clientCaFile) : undefined;
  const frontProxy = rhCa !== undefined ? createCertPool(rhCa, f.requestHeaderClientCaFile) : undefined;
  const bundle = [clientCa, rhCa].filter((x): x is string => x !== undefined).join("\n");
  return { material: { cert, key, ...(bundle ? { clientCa: bundle } : {}) }, client, frontProxy };
}

/**
 * Loads the files now (throws naming the file) and polls them every `intervalMs`. `apply` must
 * accept the material (e.g. the TLS server's setSecureContext); a pair it rejects (a key that does
 * not match a half-rotated certificate) is logged and retried at the next change.
 */
export function createServingTls(f: ServingTlsFiles, o: { intervalMs: number; log: (msg: string) => void }): ServingTls {
  const paths = [f.certFile, f.keyFile, ...(f.clientCaFile ? [f.clientCaFile] : []), ...(f.requestHeaderClientCaFile ? [f.requestHeaderClientCaFile] : [])];
  const listeners: ((m: TlsMaterial) => void)[] = [];
  const files = createReloadingFiles(
    paths,
    (contents) => {
      const next = build(f, contents);
      // a listener that rejects the material (a key not matching a half-rotated certificate)
      // throws here, and the previous material stays in force
      for (const l of listeners) l(next.material);
      return next;
    },
    {
      intervalMs: o.intervalMs,
      onReload: () => o.log(`API server: TLS files reloaded (${f.certFile}); new connections use them, open ones keep theirs`),
      onError: (e) => o.log(`API server: TLS files not reloaded, keeping the previous ones: ${e.message}`),
    },
  );
  return {
    material: () => files.current().material,
    clientPool: () => files.current().client,
    frontProxyPool: () => files.current().frontProxy,
    onReload: (fn) => void listeners.push(fn),
    stop: () => files.stop(),
  };
}
