import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawn } from "node:child_process";
import { join } from "node:path";
import type { Backend } from "../../src/backend/backend.ts";
import { clientFor, startTestBackend } from "../helpers/backend-harness.ts";
import { createAll, createObj } from "../helpers/rpc-helpers.ts";
import { sample } from "../helpers/fixtures.ts";
import { KINDS } from "../../src/kinds/kind-table.ts";

const ROOT = join(import.meta.dir, "..", "..");
/** The real Go binary (the npm wrapper does not forward signals, runtime-facts.md §8.6). */
const BUF = join(ROOT, "node_modules", "@bufbuild", `buf-${process.platform}-${process.arch === "x64" ? "x64" : process.arch}`, "bin", "buf");

let backend: Backend;
beforeAll(async () => {
  backend = await startTestBackend();
});
afterAll(async () => {
  await backend.close();
});

/** Runs buf curl against a Watch RPC and resolves with its output once `until` matches it. */
function bufCurlWatch(method: string, protocol: string, h2: boolean, until: (out: string) => boolean, onReady: () => Promise<void>) {
  const args = ["curl", "--schema", join(ROOT, "proto"), "--emit-defaults", "--protocol", protocol, "-d", "{}"];
  if (h2) args.push("--http2-prior-knowledge");
  args.push(`${backend.url}/netguard.v1.NetguardService/${method}`);
  const child = spawn(BUF, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  let readyFired = false;
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`buf curl timed out; stdout=${out} stderr=${err}`));
    }, 15_000);
    child.stderr.on("data", (d) => (err += d));
    child.stdout.on("data", (d) => {
      out += d;
      if (!readyFired && out.includes('"initialEventsEnd": true')) {
        readyFired = true;
        onReady().catch(reject);
      }
      if (until(out)) {
        clearTimeout(timer);
        child.kill("SIGKILL");
        resolve(out);
      }
    });
    child.on("exit", (code) => {
      if (!until(out)) {
        clearTimeout(timer);
        reject(new Error(`buf curl exited ${code}; stdout=${out} stderr=${err}`));
      }
    });
  });
}

const COMBOS: [protocol: string, h2: boolean][] = [
  ["grpc", true],
  ["connect", false],
  ["connect", true],
  ["grpcweb", false],
  ["grpcweb", true],
];

describe("buf curl --schema proto against Watch RPCs", () => {
  let n = 0;
  test.each(COMBOS)("%s (h2c prior knowledge: %p) receives a live event produced by a write", async (protocol, h2) => {
    const client = clientFor(backend.url);
    const s = sample("Service", 900 + ++n);
    const out = await bufCurlWatch("WatchServices", protocol, h2, (o) => o.includes(`"name": "${s.object.metadata.name}"`), async () => {
      await createObj(client, s.object);
    });
    expect(out).toContain('"@type": "type.googleapis.com/netguard.v1.Service"');
    expect(out).toContain('"type": "ADDED"');
  });

  test.each(KINDS.map((k) => [k.watchMethod, k] as const))("%s streams a live event over grpc", async (method, kind) => {
    const client = clientFor(backend.url);
    const s = sample(kind.kind, 800 + ++n);
    const out = await bufCurlWatch(method, "grpc", true, (o) => o.includes(`"name": "${s.object.metadata.name}"`), async () => {
      await createAll(client, s.needs);
      // a derived kind (AddressGroupPortMapping) is created by the server with its AddressGroup
      if (!s.derived) await createObj(client, s.object);
    });
    expect(out).toContain(`"@type": "type.googleapis.com/netguard.v1.${kind.kind}"`);
  });
});
