/**
 * First-start development setup, so the Quick start stays two commands and kubectl works at once:
 * in the data directory it makes (only what is missing; later starts reuse the files)
 *
 *   pki/ca.crt, pki/ca.key                 development CA (10 years)
 *   pki/apiserver.crt, pki/apiserver.key   serving certificate for 127.0.0.1, ::1, localhost (1 year; renewed from the CA when under 30 days remain)
 *   tokens.csv                             kube token file with the admin token (user admin, group system:masters)
 *   backend-token                          token the API server presents to the backend (all-in-one)
 *   backend-tokens                         the backend's token file granting it read-write
 *   kubeconfig                             server, CA data and admin token (rewritten when the address changes)
 *
 * Keys and tokens are written with mode 0600.
 */
import { randomBytes, X509Certificate } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createDevCa, createDevServingCert } from "./dev-certificates.ts";

export interface DevFiles {
  dir: string;
  caFile: string;
  certFile: string;
  keyFile: string;
  tokenFile: string;
  backendTokenFile: string;
  /** The backend's token file (`token,name,role`) holding the backend token. */
  backendTokensFile: string;
  kubeconfigFile: string;
  /** Files made by this call (for the start-up log). */
  created: string[];
}

const RENEW_BEFORE_MS = 30 * 86_400_000;

function token(): string {
  return randomBytes(32).toString("base64url");
}

function write(path: string, text: string, secret: boolean, created: string[]): void {
  writeFileSync(path, text, { mode: secret ? 0o600 : 0o644 });
  created.push(path);
}

/** Makes the missing development files in `dir` (see the module comment). */
export function prepareDevFiles(dir: string): DevFiles {
  const pki = join(dir, "pki");
  mkdirSync(pki, { recursive: true, mode: 0o700 });
  const f: DevFiles = {
    dir,
    caFile: join(pki, "ca.crt"),
    certFile: join(pki, "apiserver.crt"),
    keyFile: join(pki, "apiserver.key"),
    tokenFile: join(dir, "tokens.csv"),
    backendTokenFile: join(dir, "backend-token"),
    backendTokensFile: join(dir, "backend-tokens"),
    kubeconfigFile: join(dir, "kubeconfig"),
    created: [],
  };
  const caKeyFile = join(pki, "ca.key");
  if (!existsSync(f.caFile) || !existsSync(caKeyFile)) {
    const ca = createDevCa("netguard-development-ca", 3650);
    write(caKeyFile, ca.key, true, f.created);
    write(f.caFile, ca.cert, false, f.created);
  }
  const stale = () => {
    try {
      return new Date(new X509Certificate(readFileSync(f.certFile)).validTo).getTime() - Date.now() < RENEW_BEFORE_MS;
    } catch {
      return true;
    }
  };
  if (!existsSync(f.certFile) || !existsSync(f.keyFile) || f.created.length > 0 || stale()) {
    const ca = { cert: readFileSync(f.caFile, "utf8"), key: readFileSync(caKeyFile, "utf8") };
    const s = createDevServingCert(ca, "netguard-apiserver", ["localhost"], ["127.0.0.1", "::1"], 365);
    write(f.keyFile, s.key, true, f.created);
    write(f.certFile, s.cert, false, f.created);
  }
  if (!existsSync(f.tokenFile)) write(f.tokenFile, `${token()},admin,admin,"system:masters"\n`, true, f.created);
  if (!existsSync(f.backendTokenFile) || !existsSync(f.backendTokensFile)) {
    const t = token();
    write(f.backendTokenFile, `${t}\n`, true, f.created);
    write(f.backendTokensFile, `# made by netguard's all-in-one: the API server's token\n${t},netguard-apiserver,read-write\n`, true, f.created);
  }
  return f;
}

/** The admin token of a dev token file (the first row whose user is `admin`). */
function adminToken(tokenFile: string): string | undefined {
  for (const line of readFileSync(tokenFile, "utf8").split("\n")) {
    const [tok, user] = line.split(",");
    if (user?.trim() === "admin" && tok?.trim()) return tok.trim();
  }
  return undefined;
}

/**
 * Writes `kubeconfig` for `serverUrl` with the CA and the admin token; leaves an identical file
 * alone. Returns whether it wrote.
 */
export function writeDevKubeconfig(f: DevFiles, serverUrl: string): boolean {
  const tok = adminToken(f.tokenFile);
  if (!tok) throw new Error(`${f.tokenFile} has no row for user admin; delete it to have it made again`);
  const caData = Buffer.from(readFileSync(f.caFile)).toString("base64");
  const text = [
    "# Made by netguard's all-in-one on first start (development CA and admin token in this directory).",
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    "- name: netguard",
    "  cluster:",
    `    server: ${serverUrl}`,
    `    certificate-authority-data: ${caData}`,
    "contexts:",
    "- name: netguard",
    "  context: {cluster: netguard, user: admin, namespace: shop}",
    "current-context: netguard",
    "users:",
    "- name: admin",
    "  user:",
    `    token: ${tok}`,
    "",
  ].join("\n");
  if (existsSync(f.kubeconfigFile) && readFileSync(f.kubeconfigFile, "utf8") === text) return false;
  writeFileSync(f.kubeconfigFile, text, { mode: 0o600 });
  return true;
}
