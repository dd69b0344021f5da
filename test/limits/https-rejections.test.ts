/**
 * What the HTTPS API server's HTTP layer refuses before routing still gets a Kubernetes Status:
 * an unknown method (which Bun's Request would otherwise turn into a GET and serve as a read) and
 * a URL too long for the headers, over HTTP/2 and HTTP/1.1. Real curl, real TLS.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { execFile } from "node:child_process";
import { ADMIN_TOKEN, startTlsApiStack, type TlsApiStack } from "../helpers/tls-api-stack.ts";

let s: TlsApiStack;
beforeAll(async () => {
  s = await startTlsApiStack();
});
afterAll(async () => {
  await s?.close();
});

const SERVICES = "/apis/netguard.sgroups.io/v1beta1/namespaces/shop/services";

/** curl's status code and body for one request (async: the server runs in this process). */
function curl(args: string[]): Promise<{ code: number; body: string }> {
  const all = ["-s", "--cacert", s.ca.cert, "-H", `Authorization: Bearer ${ADMIN_TOKEN}`, "-w", "\n%{http_code}", ...args];
  return new Promise((resolve, reject) =>
    execFile("curl", all, { timeout: 20_000, maxBuffer: 1 << 20 }, (err, stdout) => {
      if (err) return reject(err);
      const i = stdout.lastIndexOf("\n");
      resolve({ code: Number(stdout.slice(i + 1)), body: stdout.slice(0, i) });
    }),
  );
}

function expectStatus(r: { code: number; body: string }, code: number, reason: string) {
  expect(r.code).toBe(code);
  expect(JSON.parse(r.body)).toMatchObject({ kind: "Status", apiVersion: "v1", status: "Failure", code, reason });
}

describe("HTTP-layer refusals on the HTTPS API server", () => {
  test.each([["--http2"], ["--http1.1"]])("an unknown method is 405 MethodNotAllowed, never served as a read (%s)", async (proto) => {
    expectStatus(await curl([proto, "-X", "FOO", `${s.api.url}${SERVICES}`]), 405, "MethodNotAllowed");
  });

  // HTTP/2: 50 KB, above api.max_url_bytes (16 KiB) and below what Bun's HTTP/2 server accepts at
  // all (~64 KB, see serve-fetch-tls.ts); HTTP/1.1: 100 KB, refused by the parser itself.
  test.each([
    ["--http2", 50_000],
    ["--http1.1", 100_000],
  ])("a long URL gets a Status, not a reset or a bare status line (%s, %i bytes)", async (proto, n) => {
    const r = await curl([proto, `${s.api.url}${SERVICES}?x=${"a".repeat(n)}`]);
    expect([414, 431]).toContain(r.code);
    expect(JSON.parse(r.body)).toMatchObject({ kind: "Status", code: r.code });
  });

  test("known methods still work", async () => {
    const r = await curl(["--http2", `${s.api.url}${SERVICES}`]);
    expect(r.code).toBe(200);
    expect(JSON.parse(r.body).kind).toBe("ServiceList");
  });
});
