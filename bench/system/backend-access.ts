/**
 * Backend access for the system benchmark (`--backend-tls`): a throwaway PKI, the backend started
 * with TLS, a client CA and a token file, API servers that present a read-write client
 * certificate, and the benchmark's own writer and /metrics scrape with a read-write token — so the
 * figures can be taken with the production transport (TLS) as well as plain h2c.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createTestCa, pem } from "../../test/helpers/test-certs.ts";

/** Environment and client material for one benchmark run with a TLS backend that checks callers. */
export interface BenchBackendAccess {
  /** Environment of the backend process (NETGUARD_BACKEND_TLS_*, NETGUARD_BACKEND_TOKEN_FILE). */
  backendEnv: Record<string, string>;
  /** Environment of each API server process (NETGUARD_API_BACKEND_TLS_*). */
  apiServerEnv: Record<string, string>;
  /** The benchmark's own calls: CA to trust (PEM) and a read-write token. */
  ca: string;
  token: string;
}

/** Makes the certificates and token file in `dir` (openssl; EC P-256). */
export function createBenchBackendAccess(dir: string): BenchBackendAccess {
  const serverCa = createTestCa(dir, "bench-server-ca");
  const clientCa = createTestCa(dir, "bench-client-ca");
  const serving = serverCa.server("bench-backend");
  const apiClient = clientCa.client("netguard-apiserver", ["netguard:read-write"]);
  const token = `bench-${crypto.randomUUID()}`;
  const tokenFile = join(dir, "backend-tokens.csv");
  writeFileSync(tokenFile, `${token},bench,read-write\n`, { mode: 0o600 });
  return {
    backendEnv: {
      NETGUARD_BACKEND_TLS_CERT_FILE: serving.cert,
      NETGUARD_BACKEND_TLS_KEY_FILE: serving.key,
      NETGUARD_BACKEND_TLS_CLIENT_CA_FILE: clientCa.cert,
      NETGUARD_BACKEND_TOKEN_FILE: tokenFile,
    },
    apiServerEnv: {
      NETGUARD_API_BACKEND_TLS_CA_FILE: serverCa.cert,
      NETGUARD_API_BACKEND_TLS_CERT_FILE: apiClient.cert,
      NETGUARD_API_BACKEND_TLS_KEY_FILE: apiClient.key,
    },
    ca: pem(serverCa.cert),
    token,
  };
}

/** The backend's base URL for the benchmark's own calls. */
export function benchBackendUrl(port: number, access?: BenchBackendAccess): string {
  return `${access ? "https" : "http"}://127.0.0.1:${port}`;
}
