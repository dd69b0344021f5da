import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Backend } from "../../src/backend/backend.ts";
import { clientFor, startTestBackend } from "../helpers/backend-harness.ts";
import { bufCurlWatch as bufCurl } from "../helpers/buf-curl.ts";
import { createAll, createObj } from "../helpers/rpc-helpers.ts";
import { sample } from "../helpers/fixtures.ts";
import { KINDS } from "../../src/kinds/kind-table.ts";

let backend: Backend;
beforeAll(async () => {
  backend = await startTestBackend();
});
afterAll(async () => {
  await backend.close();
});

/** buf curl on a Watch RPC; its output once `until` matches it (an exit before that fails). */
async function bufCurlWatch(method: string, protocol: string, h2: boolean, until: (out: string) => boolean, onReady: () => Promise<void>): Promise<string> {
  const r = await bufCurl(backend.url, method, ["--protocol", protocol, ...(h2 ? ["--http2-prior-knowledge"] : [])], until, onReady);
  if (!r.matched) throw new Error(`buf curl exited ${r.code}; stdout=${r.out} stderr=${r.err}`);
  return r.out;
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
