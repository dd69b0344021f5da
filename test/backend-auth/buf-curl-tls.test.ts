import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawn } from "node:child_process";
import { join } from "node:path";
import type { Backend } from "../../src/backend/backend.ts";
import { sample } from "../helpers/fixtures.ts";
import { createObj } from "../helpers/rpc-helpers.ts";
import { createPki, READ_ONLY_TOKEN, READ_WRITE_TOKEN, secureClient, startSecureBackend, type Pki } from "./secure-backend.ts";

const ROOT = join(import.meta.dir, "..", "..");
/** The real Go binary (the npm wrapper does not forward signals, runtime-facts.md §8.6). */
const BUF = join(ROOT, "node_modules", "@bufbuild", `buf-${process.platform}-${process.arch === "x64" ? "x64" : process.arch}`, "bin", "buf");

let pki: Pki;
let backend: Backend;
beforeAll(async () => {
  pki = createPki();
  backend = await startSecureBackend({
    tls: { certFile: pki.serving.cert, keyFile: pki.serving.key, clientCaFile: pki.clientCa.cert },
    tokenFile: pki.tokenFile,
  });
});
afterAll(async () => {
  await backend?.close();
});

/** Runs buf curl with `flags` against WatchServices until `until` matches its output (or it exits). */
function bufCurlWatch(flags: string[], until: (out: string) => boolean, onReady: () => Promise<void>) {
  const args = ["curl", "--schema", join(ROOT, "proto"), "--emit-defaults", ...flags, "-d", "{}", `${backend.url}/netguard.v1.NetguardService/WatchServices`];
  const child = spawn(BUF, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  let ready = false;
  return new Promise<{ out: string; err: string; code: number | null }>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`buf curl timed out; stdout=${out} stderr=${err}`));
    }, 15_000);
    child.stderr.on("data", (d) => (err += d));
    child.stdout.on("data", (d) => {
      out += d;
      if (!ready && out.includes('"initialEventsEnd": true')) {
        ready = true;
        onReady().catch(reject);
      }
      if (until(out)) {
        clearTimeout(timer);
        child.kill("SIGKILL");
        resolve({ out, err, code: null });
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ out, err, code });
    });
  });
}

describe("buf curl against the TLS backend", () => {
  let n = 0;
  const writer = () => secureClient(backend.url, { ca: pki.serverCa.cert, token: READ_WRITE_TOKEN });

  test.each([
    ["grpc (h2 via ALPN)", ["--protocol", "grpc"]],
    ["connect over HTTP/1.1", ["--protocol", "connect"]],
    ["grpcweb over h2", ["--protocol", "grpcweb", "--http2-prior-knowledge"]],
  ])("%s with --cacert and a read-only bearer token streams a live event", async (_name, protocol) => {
    const s = sample("Service", 100 + ++n);
    const r = await bufCurlWatch(
      [...protocol, "--cacert", pki.serverCa.cert, "-H", `Authorization: Bearer ${READ_ONLY_TOKEN}`],
      (o) => o.includes(`"name": "${s.object.metadata.name}"`),
      async () => void (await createObj(writer(), s.object)),
    );
    expect(r.out).toContain('"type": "ADDED"');
    expect(r.out).toContain('"@type": "type.googleapis.com/netguard.v1.Service"');
  });

  test("grpc with --cert/--key of a netguard:read-only client certificate streams a live event", async () => {
    const c = pki.clientCa.client("curl-viewer", ["netguard:read-only"]);
    const s = sample("Service", 200);
    const r = await bufCurlWatch(
      ["--protocol", "grpc", "--cacert", pki.serverCa.cert, "--cert", c.cert, "--key", c.key],
      (o) => o.includes(`"name": "${s.object.metadata.name}"`),
      async () => void (await createObj(writer(), s.object)),
    );
    expect(r.out).toContain('"type": "ADDED"');
  });

  test("without credentials buf curl gets unauthenticated (exit code 16*8)", async () => {
    const r = await bufCurlWatch(["--protocol", "grpc", "--cacert", pki.serverCa.cert], () => false, async () => undefined);
    expect(r.code).toBe(16 * 8);
    expect(r.out + r.err).toContain("unauthenticated");
    expect(r.out + r.err).toContain("WatchServices needs credentials");
  });
});
