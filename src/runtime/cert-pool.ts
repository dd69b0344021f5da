/**
 * A set of trusted certificate authorities (a PEM bundle) that can tell whether a client's
 * certificate chain ends at one of them — Go's `x509.Verify` with `Roots` and `KeyUsages:
 * ClientAuth`, as k8s.io/apiserver's x509 and front-proxy authenticators call it. The TLS layer
 * verifies against the union of all client CAs; this decides *which* CA a chain belongs to, which
 * the TLS layer cannot say, so a front-proxy certificate is never taken for a user certificate.
 */
import { X509Certificate } from "node:crypto";

const CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
const ANY_EKU = "2.5.29.37.0";
const MAX_DEPTH = 8;

/** Trusted roots for client certificates. */
export interface CertPool {
  /** Number of certificates in the bundle. */
  readonly size: number;
  /**
   * Verifies `chain` (DER, leaf first; the rest may be intermediates): signatures, validity
   * periods, CA flags of issuers and the leaf's extended key usage. Returns an error message, or
   * undefined when the chain ends at a certificate of this pool.
   */
  verify(chain: readonly Uint8Array[], now?: Date): string | undefined;
}

/** Splits a PEM bundle into its certificates; throws when it holds none or a broken one. */
export function parsePemBundle(pem: string, what: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new Error(`${what}: no PEM certificate found`);
  return blocks.map((b) => {
    try {
      return new X509Certificate(b);
    } catch (e) {
      throw new Error(`${what}: unreadable certificate: ${(e as Error).message}`);
    }
  });
}

function inPeriod(c: X509Certificate, now: Date): boolean {
  return new Date(c.validFrom) <= now && now <= new Date(c.validTo);
}

function issuedBy(child: X509Certificate, parent: X509Certificate): boolean {
  try {
    return child.checkIssued(parent) && child.verify(parent.publicKey);
  } catch {
    return false;
  }
}

/** Builds a pool from a PEM bundle (throws on a bundle without certificates). */
export function createCertPool(pem: string, what = "CA bundle"): CertPool {
  const roots = parsePemBundle(pem, what);
  const rootDer = new Set(roots.map((r) => r.raw.toString("base64")));
  return {
    size: roots.length,
    verify(chain, now = new Date()) {
      if (chain.length === 0) return "no certificate";
      let certs: X509Certificate[];
      try {
        certs = chain.map((d) => new X509Certificate(d));
      } catch {
        return "unreadable certificate";
      }
      const leaf = certs[0]!;
      const eku = (leaf as unknown as { keyUsage?: string[] }).keyUsage;
      if (Array.isArray(eku) && eku.length > 0 && !eku.includes(CLIENT_AUTH) && !eku.includes(ANY_EKU)) {
        return "x509: certificate specifies an incompatible key usage";
      }
      let current = leaf;
      for (let depth = 0; depth < MAX_DEPTH; depth++) {
        if (!inPeriod(current, now)) return "x509: certificate has expired or is not yet valid";
        if (rootDer.has(current.raw.toString("base64"))) return undefined;
        const root = roots.find((r) => inPeriod(r, now) && issuedBy(current, r));
        if (root) return undefined;
        const next = certs.find((c) => c !== current && c.ca && issuedBy(current, c));
        if (!next) return "x509: certificate signed by unknown authority";
        current = next;
      }
      return "x509: certificate chain too long";
    },
  };
}
