/**
 * The real kubectl over HTTPS (HTTP/2): with a bearer token, with a client certificate, refused
 * without credentials; and the all-in-one's first start, which makes a development CA, serving
 * certificate, admin token and kubeconfig that kubectl uses as is (and reuses them on restart).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:net";
import { ADMIN_TOKEN, startTlsApiStack, type TlsApiStack } from "../helpers/tls-api-stack.ts";

/** Runs kubectl without blocking this process (the API server under test runs here). */
function kubectl(kubeconfig: string, args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const cache = mkdtempSync(join(tmpdir(), "kubectl-cache-"));
  const child = spawn("kubectl", ["--kubeconfig", kubeconfig, "--cache-dir", cache, "--request-timeout=20s", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.on("data", (c) => (out += c));
  child.stderr.on("data", (c) => (err += c));
  return new Promise((resolve) => child.once("close", (code) => resolve({ code, out, err })));
}

function kubeconfig(dir: string, server: string, caFile: string, user: string): string {
  const path = join(dir, `kubeconfig-${Math.random().toString(36).slice(2)}`);
  writeFileSync(
    path,
    `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: "${server}", certificate-authority: "${caFile}"}\ncontexts:\n- name: c\n  context: {cluster: c, user: u, namespace: shop}\ncurrent-context: c\nusers:\n- name: u\n  user: ${user}\n`,
  );
  return path;
}

describe("kubectl against the HTTPS API server", () => {
  let s: TlsApiStack;
  beforeAll(async () => {
    s = await startTlsApiStack();
  }, 30_000);
  afterAll(async () => {
    await s?.close();
  }, 30_000);

  test("with a bearer token: apply and get", async () => {
    const kc = kubeconfig(s.dir, s.api.url, s.ca.cert, `{token: "${ADMIN_TOKEN}"}`);
    const applied = await kubectl(kc, ["apply", "-f", "test/fixtures/01-base.yaml"]);
    expect(applied.err).toBe("");
    expect(applied.code).toBe(0);
    const got = await kubectl(kc, ["get", "services.netguard.sgroups.io", "-o", "name"]);
    expect(got.out).toContain("service.netguard.sgroups.io/frontend");
  }, 30_000);

  test("with a client certificate and key", async () => {
    // the objects to read, applied (idempotently) by the admin here, not by an earlier test
    const admin = kubeconfig(s.dir, s.api.url, s.ca.cert, `{token: "${ADMIN_TOKEN}"}`);
    expect((await kubectl(admin, ["apply", "-f", "test/fixtures/01-base.yaml"])).code).toBe(0);
    const c = s.clientCa.client("alice", ["devs"]);
    const kc = kubeconfig(s.dir, s.api.url, s.ca.cert, `{client-certificate: "${c.cert}", client-key: "${c.key}"}`);
    const got = await kubectl(kc, ["get", "ngsvc", "-o", "name"]);
    expect(got.err).toBe("");
    expect(got.out).toContain("service.netguard.sgroups.io/frontend");
  }, 30_000);

  // (With no credentials at all, kubectl asks for a username on stdin instead of sending a request.)
  test("with an unknown token: You must be logged in to the server", async () => {
    const kc = kubeconfig(s.dir, s.api.url, s.ca.cert, '{token: "not-a-known-token-123"}');
    const got = await kubectl(kc, ["get", "services.netguard.sgroups.io"]);
    expect(got.code).not.toBe(0);
    expect(got.err).toContain("error: You must be logged in to the server");
  }, 30_000);
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const p = (srv.address() as { port: number }).port;
      srv.close(() => resolve(p));
    });
  });
}

async function startAllInOne(dataDir: string): Promise<{ stop(): Promise<void>; out(): string }> {
  const [bp, ap] = [await freePort(), await freePort()];
  const child = spawn(process.execPath, ["src/main.ts"], {
    env: { ...process.env, NETGUARD_STORAGE: "memory:", NETGUARD_API_DEV_DIR: dataDir, NETGUARD_BACKEND_ADDR: `127.0.0.1:${bp}`, NETGUARD_API_ADDR: `127.0.0.1:${ap}` },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (c) => (out += c));
  child.stderr!.on("data", (c) => (out += c));
  const deadline = Date.now() + 15_000;
  while (!out.includes("export KUBECONFIG") && !out.includes("API server listening")) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`all-in-one did not start: ${out}`);
    await Bun.sleep(50);
  }
  await Bun.sleep(100);
  return {
    out: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGINT");
      }),
  };
}

describe("all-in-one first start with an empty data directory", () => {
  test("makes a CA, serving certificate, admin token and kubeconfig that kubectl uses; a restart reuses them", async () => {
    const data = mkdtempSync(join(tmpdir(), "netguard-data-"));
    const first = await startAllInOne(data);
    try {
      expect(first.out()).toContain("made development files");
      const got = await kubectl(join(data, "kubeconfig"), ["get", "services.netguard.sgroups.io"]);
      expect(got.err).toBe("No resources found in shop namespace.\n");
      expect(got.code).toBe(0);
    } finally {
      await first.stop();
    }
    const ca = readFileSync(join(data, "pki", "ca.crt"), "utf8");
    const tokens = readFileSync(join(data, "tokens.csv"), "utf8");
    const second = await startAllInOne(data);
    try {
      expect(second.out()).not.toContain("made development files");
      expect(readFileSync(join(data, "pki", "ca.crt"), "utf8")).toBe(ca);
      expect(readFileSync(join(data, "tokens.csv"), "utf8")).toBe(tokens);
      expect((await kubectl(join(data, "kubeconfig"), ["get", "ngsvc"])).code).toBe(0);
    } finally {
      await second.stop();
    }
  }, 60_000);
});
