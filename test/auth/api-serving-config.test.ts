/** The API server's TLS and authentication settings (api.tls.*, api.requestheader.*, api.token_file, api.insecure). */
import { expect, test } from "bun:test";
import { ConfigError, loadConfig } from "../../src/config/config.ts";

test("defaults: TLS (not insecure), kube's X-Remote-* header names, no anonymous discovery, dev files in ./data", () => {
  const s = loadConfig(undefined, {}).apiServing;
  expect(s).toMatchObject({
    insecure: false,
    requestHeaderAllowedNames: [],
    requestHeaderUsernameHeaders: ["X-Remote-User"],
    requestHeaderGroupHeaders: ["X-Remote-Group"],
    requestHeaderExtraHeaderPrefixes: ["X-Remote-Extra-"],
    anonymousDiscovery: false,
    devDir: "./data",
  });
});

test("lists come as YAML sequences or comma-separated environment variables", () => {
  const yaml = "api:\n  requestheader:\n    allowed_names: [front-proxy, aggregator]\n    client_ca_file: /etc/fp.crt\n";
  expect(loadConfig(yaml, {}).apiServing.requestHeaderAllowedNames).toEqual(["front-proxy", "aggregator"]);
  expect(loadConfig(undefined, { NETGUARD_API_REQUESTHEADER_ALLOWED_NAMES: "a, b" }).apiServing.requestHeaderAllowedNames).toEqual(["a", "b"]);
});

test("certificate and key go together; insecure cannot be combined with TLS or tokens", () => {
  expect(() => loadConfig(undefined, { NETGUARD_API_TLS_CERT_FILE: "/x.crt" })).toThrow(ConfigError);
  expect(() => loadConfig(undefined, { NETGUARD_API_INSECURE: "true", NETGUARD_API_TOKEN_FILE: "/t.csv" })).toThrow(/api.insecure/);
  expect(loadConfig(undefined, { NETGUARD_API_INSECURE: "true" }).apiServing.insecure).toBe(true);
});
