// Renders deploy/ the way an operator applies it (`kubectl kustomize`, the code behind
// `kubectl apply -k`) and parses the output into plain objects.
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";

export const DEPLOY = join(import.meta.dir, "../../deploy");

export type K8sObject = Record<string, any>;

export function overlays(): string[] {
  return readdirSync(join(DEPLOY, "overlays")).sort();
}

// KUBECTL: another kubectl than the one on PATH (some distributions' kubectl is a slow dispatcher).
const KUBECTL = process.env.KUBECTL || "kubectl";

/** Runs a program to completion (30 s at most) and returns its stdout; asynchronous, so renders overlap. */
function run(cmd: string, args: string[], env?: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"], timeout: 30_000 });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("error", (e) => reject(new Error(`${cmd} could not run (${e.message}); the deploy tests need it on PATH`)));
    child.on("close", (code, signal) => {
      if (code === 0) resolve(out);
      else reject(new Error(`${cmd} ${args.join(" ")} failed (${code ?? signal}):\n${err}`));
    });
  });
}

export function parseObjects(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((d) => {
      if (d.errors.length) throw new Error(`rendered YAML does not parse: ${d.errors[0]!.message}`);
      return d.toJS() as K8sObject | null;
    })
    .filter((o): o is K8sObject => o !== null);
}

export async function renderOverlay(name: string): Promise<K8sObject[]> {
  return parseObjects(await run(KUBECTL, ["kustomize", join(DEPLOY, "overlays", name)]));
}

/** The Secrets scripts/make-tls-secrets.sh prints (openssl only). */
export async function scriptSecrets(): Promise<K8sObject[]> {
  return parseObjects(await run("bash", [join(DEPLOY, "scripts/make-tls-secrets.sh")], { NETGUARD_CERT_DAYS: "2" }));
}

export const id = (o: K8sObject): string =>
  `${o.kind}/${o.metadata?.namespace ? `${o.metadata.namespace}/` : ""}${o.metadata?.name}`;
