/**
 * Certificates for TLS tests, made with the machine's openssl: certificate authorities, serving
 * certificates for 127.0.0.1/localhost, and client certificates whose CN is the user and whose O
 * entries are the groups (as Kubernetes reads client certificates). Real files, so the servers
 * load them exactly as they would load an operator's.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A certificate and its key, as PEM files on disk. */
export interface CertFiles {
  cert: string;
  key: string;
}

/** A certificate authority that can sign serving and client certificates. */
export interface TestCa extends CertFiles {
  /** Signs a serving certificate valid for 127.0.0.1, ::1 and localhost (plus `extraSans`). */
  server(name: string, extraSans?: string[]): CertFiles;
  /** Signs a client certificate: CN = user, one O per group. */
  client(user: string, groups?: string[]): CertFiles;
}

function openssl(args: string[], cwd: string): void {
  execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"], timeout: 30_000 });
}

/** A fresh directory for a test's certificates. */
export function certDir(): string {
  return mkdtempSync(join(tmpdir(), "netguard-pki-"));
}

/** Creates a CA named `name` in `dir` (EC P-256 keys: fast to make, what operators use today). */
export function createTestCa(dir: string, name: string): TestCa {
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", `/CN=${name}`], dir);
  let serial = 1;
  const sign = (leaf: string, subject: string, ext: string): CertFiles => {
    const leafKey = join(dir, `${leaf}.key`);
    const csr = join(dir, `${leaf}.csr`);
    const leafCert = join(dir, `${leaf}.crt`);
    const extFile = join(dir, `${leaf}.ext`);
    writeFileSync(extFile, ext);
    openssl(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", leafKey, "-out", csr, "-subj", subject], dir);
    openssl(["x509", "-req", "-in", csr, "-CA", cert, "-CAkey", key, "-set_serial", String(serial++), "-out", leafCert, "-days", "2", "-extfile", extFile], dir);
    return { cert: leafCert, key: leafKey };
  };
  return {
    cert,
    key,
    server(leaf, extraSans = []) {
      const sans = ["IP:127.0.0.1", "IP:::1", "DNS:localhost", ...extraSans].join(",");
      return sign(leaf, `/CN=${leaf}`, `subjectAltName=${sans}\nextendedKeyUsage=serverAuth\n`);
    },
    client(user, groups = []) {
      const subject = `/CN=${user}${groups.map((g) => `/O=${g}`).join("")}`;
      return sign(`client-${user.replace(/[^a-zA-Z0-9_.-]/g, "_")}`, subject, "extendedKeyUsage=clientAuth\n");
    },
  };
}

/** Reads a PEM file (for clients that take contents rather than paths). */
export function pem(path: string): string {
  return readFileSync(path, "utf8");
}
