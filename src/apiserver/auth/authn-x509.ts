/**
 * Client certificate authentication (k8s.io/apiserver's x509 authenticator with
 * CommonNameUserConversion): a certificate that chains to the client CA bundle
 * (`api.tls.client_ca_file`) authenticates user = subject CN, groups = subject O. A certificate
 * that does not chain to it is an error; one without a CN authenticates nobody. Certificates of
 * the front-proxy CA are therefore never users unless that CA is also the client CA.
 */
import type { CertPool } from "../../runtime/cert-pool.ts";
import type { Authenticator } from "./authn-types.ts";

/** `pool()` returns the current client CA bundle (it is reloaded when the file changes). */
export function createX509Authenticator(pool: () => CertPool | undefined): Authenticator {
  return (_req, conn) => {
    const peer = conn.tls?.peer;
    const roots = pool();
    if (!peer || !roots) return undefined;
    const err = roots.verify(peer.chain);
    if (err) return { error: `verifying certificate ${peer.fingerprint256} failed: ${err}` };
    if (!peer.commonName) return undefined;
    return { user: { name: peer.commonName, groups: [...peer.organizations], extra: {} } };
  };
}
