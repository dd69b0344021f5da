import { describe, expect, test } from "bun:test";
import { ConfigError, loadConfig } from "../../src/config/config.ts";

describe("backend access configuration", () => {
  test("by default the backend is plain and open, and the API server sends no credentials", () => {
    const c = loadConfig(undefined, {});
    expect(c.backendAccess).toEqual({});
    expect(JSON.parse(JSON.stringify(c.apiBackendAccess))).toEqual({});
    expect(c.apiMetrics).toBeUndefined();
  });

  test("reads TLS, client CA, token file and metrics address from YAML, environment on top", () => {
    const yaml = [
      "backend:",
      "  tls: { cert_file: /pki/b.crt, key_file: /pki/b.key, client_ca_file: /pki/ca.crt }",
      "  token_file: /pki/tokens.csv",
      "  metrics_addr: 127.0.0.1:9191",
      "api:",
      "  metrics_addr: 127.0.0.1:8181",
      "  backend_tls: { ca_file: /pki/ca.crt, cert_file: /pki/api.crt, key_file: /pki/api.key }",
      "  backend_token_file: /pki/api-token",
    ].join("\n");
    const c = loadConfig(yaml, { NETGUARD_BACKEND_TOKEN_FILE: "/run/tokens.csv" });
    expect(c.backendAccess).toEqual({
      tlsCertFile: "/pki/b.crt",
      tlsKeyFile: "/pki/b.key",
      clientCaFile: "/pki/ca.crt",
      tokenFile: "/run/tokens.csv",
      metrics: { host: "127.0.0.1", port: 9191 },
    });
    expect(c.apiBackendAccess).toEqual({ caFile: "/pki/ca.crt", certFile: "/pki/api.crt", keyFile: "/pki/api.key", tokenFile: "/pki/api-token" });
    expect(c.apiMetrics).toEqual({ host: "127.0.0.1", port: 8181 });
  });

  test.each([
    [{ NETGUARD_BACKEND_TLS_CERT_FILE: "/x.crt" }, "backend.tls.cert_file (env NETGUARD_BACKEND_TLS_CERT_FILE) and backend.tls.key_file"],
    [{ NETGUARD_API_BACKEND_TLS_KEY_FILE: "/x.key" }, "api.backend_tls.cert_file (env NETGUARD_API_BACKEND_TLS_CERT_FILE) and api.backend_tls.key_file"],
    [{ NETGUARD_BACKEND_TLS_CLIENT_CA_FILE: "/ca.crt" }, "backend.tls.client_ca_file (env NETGUARD_BACKEND_TLS_CLIENT_CA_FILE) needs backend.tls.cert_file"],
    [{ NETGUARD_BACKEND_METRICS_ADDR: "metrics" }, "backend.metrics_addr (env NETGUARD_BACKEND_METRICS_ADDR)"],
  ])("rejects %p with a message naming %p", (env, message) => {
    expect(() => loadConfig(undefined, env)).toThrow(ConfigError);
    expect(() => loadConfig(undefined, env)).toThrow(message);
  });
});
