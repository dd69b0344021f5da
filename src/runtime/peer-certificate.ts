/**
 * The client certificate of a TLS connection as a handler needs it: the subject names Kubernetes
 * reads (CN = user, O = groups) and the chain the client presented (DER, leaf first), so that
 * authentication can decide which certificate authority it chains to. Built from node:tls'
 * `getPeerCertificate(true)`, which Bun, Deno and Node all provide.
 */

/** A client certificate presented on a TLS connection. */
export interface PeerCertificate {
  /** Subject CN ("" when absent; the last one when there are several, as Go's crypto/x509). */
  readonly commonName: string;
  /** Subject O values, in order. */
  readonly organizations: readonly string[];
  /** DER certificates as presented, leaf first (may end with the issuer the TLS stack found). */
  readonly chain: readonly Uint8Array[];
  /** SHA-256 fingerprint of the leaf, upper-case hex with colons. */
  readonly fingerprint256: string;
}

interface NodePeer {
  raw?: Uint8Array;
  subject?: Record<string, string | string[] | undefined>;
  fingerprint256?: string;
  issuerCertificate?: NodePeer;
}

function values(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v.map(String) : [String(v)];
}

/** Reads the peer certificate of a node:tls socket; undefined when the client sent none. */
export function readPeerCertificate(socket: { getPeerCertificate?(detailed: boolean): unknown }): PeerCertificate | undefined {
  const peer = socket.getPeerCertificate?.(true) as NodePeer | null | undefined;
  if (!peer || !peer.raw || peer.raw.length === 0) return undefined;
  const chain: Uint8Array[] = [];
  const seen = new Set<NodePeer>();
  for (let c: NodePeer | undefined = peer; c && c.raw && !seen.has(c) && chain.length < 10; c = c.issuerCertificate) {
    seen.add(c);
    chain.push(new Uint8Array(c.raw));
  }
  const cns = values(peer.subject?.CN);
  return {
    commonName: cns.at(-1) ?? "",
    organizations: values(peer.subject?.O),
    chain,
    fingerprint256: peer.fingerprint256 ?? "",
  };
}
