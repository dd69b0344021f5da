/**
 * A real backend and a real HTTPS API server with authentication wired as src/main.ts wires it
 * (createServingTls + createApiAuthentication), certificates made with openssl, and a test route
 * `/test/whoami` (through the API server's `extraRoutes`) that answers the authenticated user.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "node:tls";
import type { Backend } from "../../src/backend/backend.ts";
import { createBackendClient } from "../../src/apiserver/backend-client.ts";
import { startApiServer, type ApiServer } from "../../src/apiserver/api-server.ts";
import { createWatchHub } from "../../src/apiserver/watch/watch-hub.ts";
import { createServingTls, type ServingTls } from "../../src/apiserver/serving-tls.ts";
import { createApiAuthentication, type ApiAuthentication } from "../../src/apiserver/auth/authn-setup.ts";
import { requestUser } from "../../src/apiserver/auth/user-info.ts";
import { startTestBackend } from "./backend-harness.ts";
import { certDir, createTestCa, type CertFiles, type TestCa } from "./test-certs.ts";

export interface TlsApiStack {
  backend: Backend;
  api: ApiServer;
  dir: string;
  ca: TestCa;
  clientCa: TestCa;
  frontProxyCa: TestCa;
  otherCa: TestCa;
  serving: CertFiles;
  tokenFile: string;
  logs: string[];
  tls: ServingTls;
  close(): Promise<void>;
}

export const ADMIN_TOKEN = "admin-token-0123456789abcdef";

export async function startTlsApiStack(o: { allowedNames?: string[]; anonymousDiscovery?: boolean; reloadIntervalMs?: number } = {}): Promise<TlsApiStack> {
  const dir = certDir();
  const ca = createTestCa(dir, "serving-ca");
  const clientCa = createTestCa(dir, "client-ca");
  const frontProxyCa = createTestCa(dir, "front-proxy-ca");
  const otherCa = createTestCa(dir, "other-ca");
  const serving = ca.server("apiserver");
  const tokenFile = join(mkdtempSync(join(tmpdir(), "netguard-tokens-")), "tokens.csv");
  writeFileSync(tokenFile, `${ADMIN_TOKEN},admin,uid-1,"system:masters,ops"\n`);
  const logs: string[] = [];
  const log = (m: string) => void logs.push(m);
  const reloadIntervalMs = o.reloadIntervalMs ?? 100;
  const tls = createServingTls(
    { certFile: serving.cert, keyFile: serving.key, clientCaFile: clientCa.cert, requestHeaderClientCaFile: frontProxyCa.cert },
    { intervalMs: reloadIntervalMs, log },
  );
  const authn: ApiAuthentication = createApiAuthentication(
    {
      requestHeaderAllowedNames: o.allowedNames ?? ["front-proxy"],
      requestHeaderUsernameHeaders: ["X-Remote-User"],
      requestHeaderGroupHeaders: ["X-Remote-Group"],
      requestHeaderExtraHeaderPrefixes: ["X-Remote-Extra-"],
      tokenFile,
      anonymousDiscovery: o.anonymousDiscovery ?? false,
      reloadIntervalMs,
    },
    tls,
    log,
  );
  const backend = await startTestBackend();
  const client = createBackendClient(backend.url);
  const watch = createWatchHub({ backend: client, mode: "streaming", streamingEnabled: true, pollingIntervalMs: 200, streamReconnectDelayMs: 50, cacheCapacity: 1024 });
  const api = await startApiServer("127.0.0.1", 0, {
    backend: client,
    watch,
    tls,
    authenticate: authn.authenticate,
    extraRoutes: (req, url) => (url.pathname === "/test/whoami" ? Response.json(requestUser(req) ?? null) : undefined),
  });
  return {
    backend,
    api,
    dir,
    ca,
    clientCa,
    frontProxyCa,
    otherCa,
    serving,
    tokenFile,
    logs,
    tls,
    async close() {
      authn.stop();
      await api.close();
      client.close();
      await backend.close();
    },
  };
}

/** The SHA-256 fingerprint of the certificate a new TLS connection to `port` is served. */
export function servedFingerprint(port: number, caPem: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: "127.0.0.1", port, ca: caPem, servername: "localhost", ALPNProtocols: ["h2"] }, () => {
      const fp = s.getPeerCertificate().fingerprint256;
      s.destroy();
      resolve(fp);
    });
    s.once("error", reject);
  });
}
