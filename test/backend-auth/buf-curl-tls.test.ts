import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Backend } from "../../src/backend/backend.ts";
import { bufCurlWatch as bufCurl } from "../helpers/buf-curl.ts";
import { sample } from "../helpers/fixtures.ts";
import { createObj } from "../helpers/rpc-helpers.ts";
import { createPki, startLockedBackend, READ_ONLY_TOKEN, READ_WRITE_TOKEN, secureClient, type Pki } from "./secure-backend.ts";

let pki: Pki;
let backend: Backend;
beforeAll(async () => {
  pki = createPki();
  backend = await startLockedBackend(pki);
});
afterAll(async () => {
  await backend?.close();
});

/** buf curl on WatchServices of the TLS backend with `flags`. */
const bufCurlWatch = (flags: string[], until: (out: string) => boolean, onReady: () => Promise<void>) =>
  bufCurl(backend.url, "WatchServices", flags, until, onReady);

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
