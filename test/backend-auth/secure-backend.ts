/**
 * Test kit for backend access: a PKI (server CA, client CA, a foreign CA), a token file, a backend
 * started with TLS and/or credentials on a free loopback port, and real connect-node clients that
 * present a client certificate and/or a bearer token.
 */
import { createClient, type Client, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startBackend, type Backend, type BackendAccessOptions } from "../../src/backend/backend.ts";
import { netguardRegistry } from "../../src/wire/registry.ts";
import { createMemoryPersistence } from "../../src/backend/store/memory-persistence.ts";
import { NetguardService } from "../../src/gen/netguard/v1/service_pb.ts";
import { certDir, createTestCa, pem, type CertFiles, type TestCa } from "../helpers/test-certs.ts";

export const READ_WRITE_TOKEN = "rw-token-0123456789abcdef";
export const READ_ONLY_TOKEN = "ro-token-0123456789abcdef";

export interface Pki {
  dir: string;
  serverCa: TestCa;
  clientCa: TestCa;
  /** A CA the backend does not trust. */
  foreignCa: TestCa;
  serving: CertFiles;
  tokenFile: string;
}

/** Makes the certificates and a token file with one read-write and one read-only token. */
export function createPki(): Pki {
  const dir = certDir();
  const serverCa = createTestCa(dir, "server-ca");
  const clientCa = createTestCa(dir, "client-ca");
  const foreignCa = createTestCa(dir, "foreign-ca");
  const tokenFile = join(dir, "tokens.csv");
  writeFileSync(tokenFile, `# token,name,role\n${READ_WRITE_TOKEN},writer,read-write\n${READ_ONLY_TOKEN},reader,read-only\n`);
  return { dir, serverCa, clientCa, foreignCa, serving: serverCa.server("backend"), tokenFile };
}

/** Starts a backend on a free loopback port with the given access options (files polled every 100 ms). */
export function startSecureBackend(access: BackendAccessOptions, log: (line: string) => void = () => undefined): Promise<Backend> {
  return startBackend({
    host: "127.0.0.1",
    port: 0,
    persistence: createMemoryPersistence(),
    retention: { maxEvents: 0, maxAgeMs: 0 },
    ringCapacity: 1024,
    bookmarkIntervalMs: 60_000,
    trimIntervalMs: 0,
    shutdownGraceMs: 500,
    access: { reloadIntervalMs: 100, ...access },
    log,
  });
}

export interface ClientCredentials {
  /** CA file the backend's certificate must chain to. */
  ca?: string;
  /** Client certificate to present. */
  cert?: CertFiles;
  token?: string;
  protocol?: "grpc" | "connect-h1";
}

/** A real gRPC (or Connect over HTTP/1.1) client with TLS material and/or a bearer token. */
export function secureClient(url: string, c: ClientCredentials = {}): Client<typeof NetguardService> {
  const interceptors: Interceptor[] = c.token
    ? [
        (next) => (req) => {
          req.header.set("authorization", `Bearer ${c.token}`);
          return next(req);
        },
      ]
    : [];
  const nodeOptions = { ca: c.ca ? pem(c.ca) : undefined, cert: c.cert ? pem(c.cert.cert) : undefined, key: c.cert ? pem(c.cert.key) : undefined };
  const jsonOptions = { registry: netguardRegistry };
  const t =
    c.protocol === "connect-h1"
      ? createConnectTransport({ baseUrl: url, httpVersion: "1.1", nodeOptions, interceptors, jsonOptions })
      : createGrpcTransport({ baseUrl: url, nodeOptions, interceptors, jsonOptions });
  return createClient(NetguardService, t);
}

/**
 * A backend that lets in only what the PKI allows: TLS with the PKI's serving certificate, client
 * certificates of its client CA, and the tokens of its token file (`extra` adds options).
 */
export function startLockedBackend(pki: Pki, extra: Partial<BackendAccessOptions> = {}): Promise<Backend> {
  return startSecureBackend({
    tls: { certFile: pki.serving.cert, keyFile: pki.serving.key, clientCaFile: pki.clientCa.cert },
    tokenFile: pki.tokenFile,
    ...extra,
  });
}
