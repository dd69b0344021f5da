import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { X509Certificate } from "node:crypto";
import { copyFileSync } from "node:fs";
import * as tls from "node:tls";
import type { Backend } from "../../src/backend/backend.ts";
import { sample } from "../helpers/fixtures.ts";
import { createObj } from "../helpers/rpc-helpers.ts";
import { pem } from "../helpers/test-certs.ts";
import { createPki, READ_ONLY_TOKEN, READ_WRITE_TOKEN, secureClient, startSecureBackend, type Pki } from "./secure-backend.ts";
import { join } from "node:path";

let pki: Pki;
let backend: Backend;
const certFile = () => join(pki.dir, "live.crt");
const keyFile = () => join(pki.dir, "live.key");
beforeAll(async () => {
  pki = createPki();
  copyFileSync(pki.serving.cert, certFile());
  copyFileSync(pki.serving.key, keyFile());
  backend = await startSecureBackend({ tls: { certFile: certFile(), keyFile: keyFile() }, tokenFile: pki.tokenFile });
});
afterAll(async () => {
  await backend?.close();
});

/** SHA-256 fingerprint of the certificate a fresh TLS connection is served. */
function servedFingerprint(): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = tls.connect({ host: "127.0.0.1", port: backend.server.port, ca: pem(pki.serverCa.cert), ALPNProtocols: ["h2"] }, () => {
      const fp = s.getPeerCertificate().fingerprint256;
      s.destroy();
      resolve(fp);
    });
    s.once("error", reject);
    setTimeout(() => reject(new Error("TLS connect timed out")), 5000).unref?.();
  });
}

function fingerprintOfFile(path: string): string {
  return new X509Certificate(pem(path)).fingerprint256;
}

describe("serving certificate rotation", () => {
  test("a certificate replaced on disk reaches new connections while an open Watch stream keeps delivering", async () => {
    expect(await servedFingerprint()).toBe(fingerprintOfFile(pki.serving.cert));
    const reader = secureClient(backend.url, { ca: pki.serverCa.cert, token: READ_ONLY_TOKEN });
    const writer = secureClient(backend.url, { ca: pki.serverCa.cert, token: READ_WRITE_TOKEN });
    const ac = new AbortController();
    const added: number[] = [];
    let initialEnd = false;
    const waiters: (() => void)[] = [];
    const wake = () => waiters.splice(0).forEach((w) => w());
    const until = (cond: () => boolean) =>
      new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error("no event within 5 s")), 5000);
        const check = () => (cond() ? (clearTimeout(t), resolve()) : waiters.push(check));
        check();
      });
    const watching = (async () => {
      for await (const e of reader.watchServices({ allowBookmarks: true, sendInitialEvents: true }, { signal: ac.signal })) {
        if (e.initialEventsEnd) initialEnd = true;
        else if (e.resource) added.push(Date.now());
        wake();
      }
    })().catch(() => undefined);
    await until(() => initialEnd);
    await createObj(writer, sample("Service", 1).object);
    await until(() => added.length === 1);

    // Rotate: a new certificate for the same names, from the same CA, written over the old files.
    const renewed = pki.serverCa.server("backend-renewed");
    copyFileSync(renewed.cert, certFile());
    copyFileSync(renewed.key, keyFile());
    await backend.reloadFiles();
    expect(await servedFingerprint()).toBe(fingerprintOfFile(renewed.cert));

    // The stream opened under the old certificate still delivers.
    await createObj(writer, sample("Service", 2).object);
    await until(() => added.length === 2);
    ac.abort();
    await watching;
  });
});
