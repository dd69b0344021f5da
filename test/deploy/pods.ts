// What each netguard container must be: hardened as the "restricted" Pod Security Standard and
// the image (uid 65532) expect, probed, bounded, and started with a configuration that the
// program's own loader accepts and whose files are all mounted.
import { isAbsolute } from "node:path";
import { parse } from "yaml";
import { loadConfig, type Config } from "../../src/config/config.ts";
import type { K8sObject } from "./render.ts";
import type { Pods } from "./cross-refs.ts";

const SA_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

export function hardeningProblems(p: Pods): string[] {
  const out: string[] = [];
  const w = `${p.owner.kind}/${p.owner.metadata.name}`;
  if (p.spec.securityContext?.seccompProfile?.type !== "RuntimeDefault") out.push(`${w}: pod seccompProfile must be RuntimeDefault`);
  for (const c of p.spec.containers) {
    const s = c.securityContext ?? {};
    const where = `${w}/${c.name}`;
    if (s.runAsNonRoot !== true) out.push(`${where}: runAsNonRoot`);
    if (s.runAsUser !== 65532) out.push(`${where}: runAsUser 65532 (the image's user)`);
    if (s.readOnlyRootFilesystem !== true) out.push(`${where}: readOnlyRootFilesystem`);
    if (s.allowPrivilegeEscalation !== false) out.push(`${where}: allowPrivilegeEscalation false`);
    if (JSON.stringify(s.capabilities?.drop) !== '["ALL"]') out.push(`${where}: capabilities drop ALL`);
    if (s.seccompProfile?.type !== "RuntimeDefault") out.push(`${where}: seccompProfile RuntimeDefault`);
    for (const k of ["cpu", "memory"]) {
      if (!c.resources?.requests?.[k] || !c.resources?.limits?.[k]) out.push(`${where}: resources.requests and limits of ${k}`);
    }
    if (!c.livenessProbe || !c.readinessProbe) out.push(`${where}: liveness and readiness probes`);
    for (const probe of [c.livenessProbe, c.readinessProbe]) if (probe?.httpGet?.scheme !== "HTTPS") out.push(`${where}: probes speak HTTPS (both servers serve TLS)`);
    // The images transformer must have replaced the bare name with a registry reference.
    if (!/^[a-z0-9.-]+\.[a-z]+(:\d+)?\/.+:[\w.-]+$/.test(c.image)) out.push(`${where}: image ${c.image} is not <registry>/<path>:<tag>`);
  }
  return out;
}

/** The file a mount path resolves to, from the ConfigMaps in the render (undefined: not a ConfigMap file). */
function configMapFile(objs: K8sObject[], p: Pods, c: K8sObject, path: string): string | undefined {
  for (const m of c.volumeMounts ?? []) {
    if (!path.startsWith(`${m.mountPath}/`)) continue;
    const vol = p.spec.volumes?.find((v: K8sObject) => v.name === m.name);
    const cm = vol?.configMap && objs.find((o) => o.kind === "ConfigMap" && o.metadata.namespace === p.ns && o.metadata.name === vol.configMap.name);
    if (cm) return cm.data?.[path.slice(m.mountPath.length + 1)];
  }
  return undefined;
}

/** Every absolute file path a config names: keys ending in _file, and the authorization kubeconfig. */
function filePaths(doc: unknown, key = ""): [string, string][] {
  if (doc === null || typeof doc !== "object") {
    return typeof doc === "string" && (/_file$/.test(key) || /kubeconfig$/.test(key)) && doc !== "" ? [[key, doc]] : [];
  }
  return Object.entries(doc as Record<string, unknown>).flatMap(([k, v]) => filePaths(v, key ? `${key}.${k}` : k));
}

export interface LoadedConfig {
  container: string;
  doc: Record<string, unknown>;
  config: Config;
}

/** Loads each container's --config with its env as the program would; collects the problems. */
export function configProblems(objs: K8sObject[], p: Pods, loaded: LoadedConfig[]): string[] {
  const out: string[] = [];
  const tokenMounted = p.spec.automountServiceAccountToken !== false;
  for (const c of p.spec.containers) {
    const where = `${p.owner.kind}/${p.owner.metadata.name}/${c.name}`;
    const i = (c.args ?? []).indexOf("--config");
    if (i < 0) { out.push(`${where}: no --config`); continue; }
    const file = configMapFile(objs, p, c, c.args[i + 1]);
    if (file === undefined) { out.push(`${where}: --config ${c.args[i + 1]} is not a mounted ConfigMap key`); continue; }
    const env = Object.fromEntries((c.env ?? []).map((e: K8sObject) => [e.name, e.value]));
    let config: Config;
    try {
      config = loadConfig(file, env);
    } catch (e) {
      out.push(`${where}: ${(e as Error).message}`);
      continue;
    }
    const doc = (parse(file) ?? {}) as Record<string, unknown>;
    loaded.push({ container: c.name, doc, config });
    const role = c.args[0];
    const prefix = role === "backend" ? /^backend\./ : /^api\./;
    const mounted = (f: string) => (c.volumeMounts ?? []).some((m: K8sObject) => f.startsWith(`${m.mountPath}/`)) || (tokenMounted && f.startsWith(`${SA_DIR}/`));
    for (const [key, f] of filePaths(doc).filter(([k]) => prefix.test(k))) {
      if (!isAbsolute(f) || !mounted(f)) out.push(`${where}: ${key} ${f} is not in a mounted volume`);
    }
    // The listen addresses must be the declared container ports.
    const ports = (c.ports ?? []).map((x: K8sObject) => x.containerPort);
    const listens = role === "backend" ? [config.backend.port, config.backendAccess.metrics?.port] : [config.api.port, config.apiMetrics?.port];
    for (const port of listens) if (port === undefined || !ports.includes(port)) out.push(`${where}: listens on ${port}, not a declared containerPort`);
    if (role === "backend" && (config.storage.kind !== "sqlite" || !(c.volumeMounts ?? []).some((m: K8sObject) => m.name === "data" && config.storage.path.startsWith(`${m.mountPath}/`)))) {
      out.push(`${where}: the SQLite file must be on the data volume`);
    }
    const kubeconfig = config.apiAuthorization.kubeconfig;
    if (role === "apiserver" && kubeconfig) {
      const kc = configMapFile(objs, p, c, kubeconfig);
      if (kc === undefined) out.push(`${where}: ${kubeconfig} is not a mounted ConfigMap key`);
      else for (const [key, f] of kubeconfigPaths(parse(kc))) if (!mounted(f)) out.push(`${where}: kubeconfig ${key} ${f} is not mounted`);
    }
  }
  return out;
}

function kubeconfigPaths(kc: K8sObject): [string, string][] {
  const out: [string, string][] = [];
  for (const c of kc.clusters ?? []) if (c.cluster?.["certificate-authority"]) out.push(["certificate-authority", c.cluster["certificate-authority"]]);
  for (const u of kc.users ?? []) if (u.user?.tokenFile) out.push(["tokenFile", u.user.tokenFile]);
  if (!out.length) out.push(["(none)", "no CA or token file: in-cluster delegation cannot authenticate"]);
  return out;
}
