/**
 * Reads the kubeconfig that says how to reach the cluster's kube-apiserver for SubjectAccessReview:
 * the current context's cluster (server URL, CA file or data, tls-server-name) and user (client
 * certificate and key, or bearer token / tokenFile). Relative file paths are relative to the
 * kubeconfig, as kubectl reads them. Anything this server cannot honour (exec plugins, auth
 * providers, basic auth, insecure-skip-tls-verify) is refused at start-up with the field named,
 * rather than silently calling the cluster in a weaker way.
 */
import { pathBeside, readTextFile } from "../../runtime/text-files.ts";
import { parse as parseYaml } from "yaml";

/** How to call the kube-apiserver. */
export interface SarConnection {
  /** Base URL of the kube-apiserver (https://host:port or http:// for tests on loopback). */
  server: URL;
  ca?: string;
  cert?: string;
  key?: string;
  servername?: string;
  /** A fixed bearer token, or a file re-read on each call (rotated service-account tokens). */
  token?: string;
  tokenFile?: string;
}

/** A kubeconfig that cannot be used; the message names the file and the field. */
export class KubeconfigError extends Error {}

type Obj = Record<string, unknown>;

/** Base64 (forgiving: line breaks allowed) to UTF-8 text; undefined when not base64. */
function decodeBase64Text(v: string): string | undefined {
  try {
    return new TextDecoder().decode(Uint8Array.from(atob(v), (c) => c.charCodeAt(0)));
  } catch {
    return undefined;
  }
}
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

function named(list: unknown, name: string, field: string, at: string): Obj {
  if (!Array.isArray(list)) throw new KubeconfigError(`${at}: ${field}: must be a list`);
  const hit = list.find((e) => isObj(e) && e.name === name);
  if (!isObj(hit) || !isObj(hit[field.slice(0, -1)])) throw new KubeconfigError(`${at}: ${field}: no entry named "${name}"`);
  return hit[field.slice(0, -1)] as Obj;
}

function optString(o: Obj, key: string, at: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v !== "string") throw new KubeconfigError(`${at}.${key}: must be a string`);
  return v;
}

/** Reads `path`; throws KubeconfigError naming what is wrong. */
export function loadKubeconfig(path: string): SarConnection {
  let doc: unknown;
  try {
    doc = parseYaml(readTextFile(path), { maxAliasCount: 100 });
  } catch (e) {
    throw new KubeconfigError(`${path}: cannot be read as YAML: ${(e as Error).message}`);
  }
  if (!isObj(doc)) throw new KubeconfigError(`${path}: not a kubeconfig (expected a mapping)`);
  const file = (p: string, at: string): string => {
    const full = pathBeside(path, p);
    try {
      return readTextFile(full);
    } catch (e) {
      throw new KubeconfigError(`${path}: ${at}: cannot read ${full}: ${(e as Error).message}`);
    }
  };
  const data = (v: string, at: string) => {
    const out = decodeBase64Text(v);
    if (out === undefined || !out.includes("-----BEGIN")) throw new KubeconfigError(`${path}: ${at}: not base64 PEM data`);
    return out;
  };
  const contexts = Array.isArray(doc.contexts) ? doc.contexts : [];
  let current = optString(doc, "current-context", path);
  if (!current && contexts.length === 1 && isObj(contexts[0])) current = String(contexts[0].name);
  if (!current) throw new KubeconfigError(`${path}: current-context: required (the file has ${contexts.length} contexts)`);
  const ctx = named(doc.contexts, current, "contexts", path);
  const clusterName = optString(ctx, "cluster", `${path}: context "${current}"`);
  const userName = optString(ctx, "user", `${path}: context "${current}"`);
  if (!clusterName) throw new KubeconfigError(`${path}: context "${current}": cluster: required`);
  const cluster = named(doc.clusters, clusterName, "clusters", path);
  const cat = `${path}: cluster "${clusterName}"`;
  const serverText = optString(cluster, "server", cat);
  if (!serverText) throw new KubeconfigError(`${cat}: server: required`);
  let server: URL;
  try {
    server = new URL(serverText);
  } catch {
    throw new KubeconfigError(`${cat}: server: "${serverText}" is not a URL`);
  }
  if (server.protocol !== "https:" && server.protocol !== "http:") throw new KubeconfigError(`${cat}: server: must be an https:// URL`);
  if (cluster["insecure-skip-tls-verify"] === true) throw new KubeconfigError(`${cat}: insecure-skip-tls-verify is not supported: give certificate-authority or certificate-authority-data`);
  const conn: SarConnection = { server };
  const caData = optString(cluster, "certificate-authority-data", cat);
  const caFile = optString(cluster, "certificate-authority", cat);
  if (caData) conn.ca = data(caData, `cluster "${clusterName}": certificate-authority-data`);
  else if (caFile) conn.ca = file(caFile, `cluster "${clusterName}": certificate-authority`);
  conn.servername = optString(cluster, "tls-server-name", cat);
  if (userName) {
    const user = named(doc.users, userName, "users", path);
    const uat = `${path}: user "${userName}"`;
    for (const k of ["exec", "auth-provider", "username", "password", "as", "as-groups"]) {
      if (user[k] !== undefined) throw new KubeconfigError(`${uat}: ${k} is not supported: use a client certificate, token or tokenFile`);
    }
    const certData = optString(user, "client-certificate-data", uat);
    const certFile = optString(user, "client-certificate", uat);
    const keyData = optString(user, "client-key-data", uat);
    const keyFile = optString(user, "client-key", uat);
    if (certData) conn.cert = data(certData, `user "${userName}": client-certificate-data`);
    else if (certFile) conn.cert = file(certFile, `user "${userName}": client-certificate`);
    if (keyData) conn.key = data(keyData, `user "${userName}": client-key-data`);
    else if (keyFile) conn.key = file(keyFile, `user "${userName}": client-key`);
    if (!conn.cert !== !conn.key) throw new KubeconfigError(`${uat}: a client certificate needs its key (and the key its certificate)`);
    conn.token = optString(user, "token", uat);
    const tokenFile = optString(user, "tokenFile", uat);
    if (tokenFile) conn.tokenFile = pathBeside(path, tokenFile);
  }
  return conn;
}
