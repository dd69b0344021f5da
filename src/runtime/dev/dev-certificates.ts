/**
 * Development certificates made in-process (node:crypto keys and signatures, DER laid out by
 * der.ts): a CA and a serving certificate for 127.0.0.1, ::1 and localhost, ECDSA P-256 with
 * SHA-256 — what Go's crypto/x509 (kubectl), OpenSSL, Bun and Deno all verify.
 */
import { createHash, createPrivateKey, generateKeyPairSync, randomBytes, sign, X509Certificate, type KeyObject } from "node:crypto";
import { bitString, boolean, explicit, integer, octetString, oid, sequence, set, time, tlv, utf8String } from "./der.ts";

const ECDSA_SHA256 = sequence(oid("1.2.840.10045.4.3.2"));

/** A certificate and its private key in PEM. */
export interface PemPair {
  cert: string;
  key: string;
}

function name(cn: string, orgs: readonly string[] = []): Uint8Array {
  return sequence(
    ...orgs.map((o) => set(sequence(oid("2.5.4.10"), utf8String(o)))),
    set(sequence(oid("2.5.4.3"), utf8String(cn))),
  );
}

function extension(id: string, critical: boolean, value: Uint8Array): Uint8Array {
  return sequence(oid(id), ...(critical ? [boolean(true)] : []), octetString(value));
}

function keyId(spki: Uint8Array): Uint8Array {
  // RFC 5280 4.2.1.2 method 1 uses the key bits; the hash of the whole SPKI is as unique.
  return new Uint8Array(createHash("sha1").update(spki).digest());
}

function pem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString("base64").replace(/.{64}/g, "$&\n").replace(/\n$/, "");
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

function ipBytes(ip: string): Uint8Array {
  if (ip.includes(":")) {
    const [head, tail] = ip.split("::") as [string, string | undefined];
    const h = head ? head.split(":") : [];
    const t = tail ? tail.split(":") : [];
    const groups = [...h, ...Array(8 - h.length - t.length).fill("0"), ...t];
    return Uint8Array.from(groups.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]));
  }
  return Uint8Array.from(ip.split(".").map(Number));
}

interface Issuer {
  subject: Uint8Array;
  key: KeyObject;
  keyId: Uint8Array;
}

function issue(o: { subject: Uint8Array; publicKey: KeyObject; issuer?: Issuer; signKey: KeyObject; days: number; extensions: Uint8Array[] }): string {
  const spki = new Uint8Array(o.publicKey.export({ type: "spki", format: "der" }));
  const serial = randomBytes(16);
  serial[0]! &= 0x7f;
  const now = Date.now();
  const ski = keyId(spki);
  const exts = [
    ...o.extensions,
    extension("2.5.29.14", false, octetString(ski)),
    extension("2.5.29.35", false, sequence(tlv(0x80, o.issuer?.keyId ?? ski))),
  ];
  const tbs = sequence(
    explicit(0, integer(Uint8Array.of(2))),
    integer(new Uint8Array(serial)),
    ECDSA_SHA256,
    o.issuer?.subject ?? o.subject,
    sequence(time(new Date(now - 5 * 60_000)), time(new Date(now + o.days * 86_400_000))),
    o.subject,
    spki,
    explicit(3, sequence(...exts)),
  );
  const sig = new Uint8Array(sign("sha256", tbs, o.signKey));
  return pem("CERTIFICATE", sequence(tbs, ECDSA_SHA256, bitString(sig)));
}

function ecKeys() {
  return generateKeyPairSync("ec", { namedCurve: "prime256v1" });
}

/** A self-signed CA (basicConstraints CA, keyCertSign). */
export function createDevCa(cn: string, days: number): PemPair {
  const { publicKey, privateKey } = ecKeys();
  const cert = issue({
    subject: name(cn),
    publicKey,
    signKey: privateKey,
    days,
    extensions: [
      extension("2.5.29.19", true, sequence(boolean(true))),
      extension("2.5.29.15", true, bitString(Uint8Array.of(0x86), 1)), // digitalSignature, keyCertSign, cRLSign
    ],
  });
  return { cert, key: privateKey.export({ type: "pkcs8", format: "pem" }).toString() };
}

/** A serving certificate signed by `ca` for the given DNS names and IP addresses. */
export function createDevServingCert(ca: PemPair, cn: string, dns: readonly string[], ips: readonly string[], days: number): PemPair {
  const caCert = new X509Certificate(ca.cert);
  const caKey = createPrivateKey(ca.key);
  const caSpki = new Uint8Array(caCert.publicKey.export({ type: "spki", format: "der" }));
  const { publicKey, privateKey } = ecKeys();
  const san = sequence(
    ...dns.map((d) => tlv(0x82, new TextEncoder().encode(d))),
    ...ips.map((ip) => tlv(0x87, ipBytes(ip))),
  );
  const cert = issue({
    subject: name(cn),
    publicKey,
    issuer: { subject: subjectOf(caCert), key: caKey, keyId: keyId(caSpki) },
    signKey: caKey,
    days,
    extensions: [
      extension("2.5.29.19", true, sequence()),
      extension("2.5.29.15", true, bitString(Uint8Array.of(0x80), 7)), // digitalSignature
      extension("2.5.29.37", false, sequence(oid("1.3.6.1.5.5.7.3.1"))), // serverAuth
      extension("2.5.29.17", false, san),
    ],
  });
  return { cert, key: privateKey.export({ type: "pkcs8", format: "pem" }).toString() };
}

/** The DER subject Name of a certificate, copied from its TBS (so issuer == subject byte for byte). */
function subjectOf(c: X509Certificate): Uint8Array {
  const der = new Uint8Array(c.raw);
  // Certificate ::= SEQ { tbs SEQ { [0] version, serial, sigAlg, issuer, validity, subject, ... } }
  let p = 0;
  const read = (): { start: number; contentStart: number; end: number; tag: number } => {
    const start = p;
    const tag = der[p++]!;
    let len = der[p++]!;
    if (len & 0x80) {
      const n = len & 0x7f;
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + der[p++]!;
    }
    return { start, contentStart: p, end: p + len, tag };
  };
  read(); // certificate: step into it
  read(); // tbs: step into it
  const skip = () => {
    const e = read();
    p = e.end;
    return e;
  };
  skip(); // version
  skip(); // serial
  skip(); // signature algorithm
  skip(); // issuer
  skip(); // validity
  const subject = skip();
  return der.subarray(subject.start, subject.end);
}
