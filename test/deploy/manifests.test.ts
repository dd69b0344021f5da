// deploy/: every overlay renders with kubectl kustomize, every object validates against the
// Kubernetes (and cert-manager) OpenAPI schemas, references resolve, pods are hardened, and the
// configuration each container gets is one the program itself accepts. README "Deploying to Kubernetes".
import { beforeAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crossRefProblems, workloads } from "./cross-refs.ts";
import { configProblems, hardeningProblems, type LoadedConfig } from "./pods.ts";
import { DEPLOY, id, overlays, renderOverlay, scriptSecrets, type K8sObject } from "./render.ts";
import { schemaProblems } from "./schema.ts";

// The seed's gradual rollout: which watch block each overlay must carry.
const WATCH: Record<string, { mode: string; streaming_enabled: boolean }> = {
  polling: { mode: "polling", streaming_enabled: false },
  auto: { mode: "auto", streaming_enabled: true },
  streaming: { mode: "streaming", streaming_enabled: true },
  "without-cert-manager": { mode: "polling", streaming_enabled: false },
};

// Made outside the render, each by a script in deploy/scripts (checked below).
const FRONT_PROXY_CA = "ConfigMap/netguard/netguard-front-proxy-ca";

interface Rendered {
  objects: K8sObject[];
  external: Set<string>;
}

async function rendered(name: string): Promise<Rendered> {
  const objects = await renderOverlay(name);
  const external = new Set([FRONT_PROXY_CA]);
  if (!objects.some((o) => o.kind === "Certificate")) {
    // No cert-manager: the Secrets come from make-tls-secrets.sh, which also prints the caBundle patch.
    objects.push(...(await scriptSecrets()));
    external.add("APIService/caBundle/v1beta1.netguard.sgroups.io");
  }
  return { objects, external };
}

// Every overlay rendered once, all at the same time (each kubectl start can take seconds).
const cache = new Map<string, Rendered>();
const get = (name: string) => cache.get(name)!;
beforeAll(async () => {
  const names = [...new Set([...overlays(), "auto"])];
  const all = await Promise.all(names.map(rendered));
  names.forEach((n, i) => cache.set(n, all[i]!));
}, 60_000);

describe("deploy/ validator", () => {
  // A validator that accepts everything would make every check below pass; prove it can refuse.
  test("refuses a wrong field type, a missing required field and an unknown kind", () => {
    const deployment = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "x", namespace: "netguard" },
      spec: { replicas: "2", selector: { matchLabels: { a: "b" } }, template: { spec: { containers: [{ image: "i" }] } } },
    };
    const problems = schemaProblems(deployment).join("\n");
    expect(problems).toContain("replicas must be integer");
    expect(schemaProblems({ ...deployment, spec: { ...deployment.spec, replicas: 2 } }).join()).toContain("containers/0 must have required property name");
    expect(schemaProblems({ apiVersion: "cert-manager.io/v1", kind: "Certificate", metadata: { name: "c" }, spec: { secretName: 1, issuerRef: { name: "i" } } }).join()).toContain("secretName");
    expect(schemaProblems({ apiVersion: "example.com/v1", kind: "Thing", metadata: { name: "t" } })).toEqual(["Thing/t: no schema for example.com/v1 Thing"]);
  });
});

describe.each(overlays())("deploy/overlays/%s", (name) => {
  test("renders, and every object validates against its OpenAPI schema", () => {
    const { objects } = get(name);
    expect(objects.length).toBeGreaterThan(15);
    expect(objects.flatMap(schemaProblems)).toEqual([]);
    const ids = objects.map(id);
    expect(ids.length).toBe(new Set(ids).size);
    const kinds = new Set(objects.map((o) => o.kind));
    for (const k of ["Namespace", "StatefulSet", "Deployment", "Service", "ConfigMap", "ServiceAccount", "ClusterRoleBinding", "RoleBinding", "NetworkPolicy", "PodDisruptionBudget", "APIService"]) {
      expect(kinds).toContain(k);
    }
  });

  test("references resolve: selectors, ports, volumes, ServiceAccounts, roles, APIService, issuers", () => {
    const { objects, external } = get(name);
    expect(crossRefProblems(objects, external)).toEqual([]);
    // Cluster-scoped objects carry no namespace, namespaced ones always one (no transformer sets it).
    for (const o of objects) {
      const clusterScoped = ["Namespace", "ClusterRole", "ClusterRoleBinding", "APIService"].includes(o.kind);
      expect(`${id(o)} ${o.metadata.namespace ? "namespaced" : "cluster"}`).toBe(`${id(o)} ${clusterScoped ? "cluster" : "namespaced"}`);
    }
  });

  test("pods are hardened, probed, bounded; the backend is one replica on a volume, the API server two", () => {
    const { objects } = get(name);
    const pods = workloads(objects);
    expect(pods.flatMap(hardeningProblems)).toEqual([]);
    const backend = objects.find((o) => o.kind === "StatefulSet")!;
    expect(backend.spec.replicas).toBe(1);
    expect(backend.spec.volumeClaimTemplates[0].spec.accessModes).toEqual(["ReadWriteOnce"]);
    expect(objects.find((o) => o.kind === "Deployment")!.spec.replicas).toBe(2);
  });

  test("each container's configuration loads with the program's own loader, files mounted, ports declared", () => {
    const { objects } = get(name);
    const loaded: LoadedConfig[] = [];
    expect(workloads(objects).flatMap((p) => configProblems(objects, p, loaded))).toEqual([]);
    const api = loaded.find((l) => l.container === "apiserver")!;
    const backend = loaded.find((l) => l.container === "backend")!;
    // The rollout step's watch block, as the seed writes it.
    expect(api.doc.watch).toMatchObject({ ...WATCH[name], polling_interval: "5s", stream_reconnect_delay: "1s" });
    expect(api.config.watch.mode).toBe(WATCH[name]!.mode as never);
    // Front proxy: kube-apiserver's aggregator client, believed only over its certificate.
    expect(api.config.apiServing.requestHeaderAllowedNames).toEqual(["front-proxy-client"]);
    expect(api.config.apiServing.requestHeaderClientCaFile).toBeTruthy();
    // Backend access: TLS both ways, client certificate of the read-write group.
    expect(api.config.apiBackendAccess.certFile && api.config.apiBackendAccess.caFile).toBeTruthy();
    expect(backend.config.backendAccess.clientCaFile).toBeTruthy();
    const [host, port] = api.config.backendEndpoint.split(":");
    const svc = objects.find((o) => o.kind === "Service" && o.metadata.name === host);
    expect(svc?.spec.ports.map((p: K8sObject) => p.port)).toContain(Number(port));
    expectCertificates(name, objects, host!);
  });

  test("differs from the base configuration only in the watch block", () => {
    const strip = (n: string) => {
      const cm = get(n).objects.find((o) => o.kind === "ConfigMap" && o.metadata.name.startsWith("netguard-apiserver-config"))!;
      const doc = Bun.YAML.parse(cm.data["config.yaml"]) as Record<string, unknown>;
      delete doc.watch;
      return { doc, kubeconfig: cm.data["authz-kubeconfig.yaml"] };
    };
    expect(strip(name)).toEqual(strip("auto"));
  });
});

/** Serving names and the client certificate's group, from cert-manager or from the script. */
function expectCertificates(name: string, objects: K8sObject[], backendHost: string): void {
  const certs = objects.filter((o) => o.kind === "Certificate");
  if (certs.length) {
    const byName = (n: string) => certs.find((c) => c.spec.secretName === n)!.spec;
    expect(byName("netguard-backend-tls").dnsNames).toContain(backendHost);
    expect(byName("netguard-apiserver-tls").dnsNames).toContain("netguard-apiserver.netguard.svc");
    expect(byName("netguard-backend-client-tls").subject.organizations).toEqual(["netguard:read-write"]);
    expect(byName("netguard-backend-client-tls").usages).toContain("client auth");
    return;
  }
  expect(name).toBe("without-cert-manager");
  const dir = mkdtempSync(join(tmpdir(), "netguard-deploy-"));
  try {
    const pem = (secret: string, key: string) => {
      const s = objects.find((o) => o.kind === "Secret" && o.metadata.name === secret)!;
      const f = join(dir, `${secret}-${key}`);
      writeFileSync(f, Buffer.from(s.data[key], "base64"));
      return f;
    };
    const openssl = (...args: string[]) => {
      const r = spawnSync("openssl", args, { encoding: "utf8", timeout: 10_000 });
      expect(r.stderr).toBe("");
      return r.stdout;
    };
    for (const s of ["netguard-apiserver-tls", "netguard-backend-tls", "netguard-backend-client-tls"]) {
      expect(openssl("verify", "-CAfile", pem(s, "ca.crt"), pem(s, "tls.crt"))).toContain(": OK");
    }
    expect(openssl("x509", "-noout", "-subject", "-in", pem("netguard-backend-client-tls", "tls.crt"))).toContain("O = netguard:read-write");
    expect(openssl("x509", "-noout", "-ext", "subjectAltName", "-in", pem("netguard-backend-tls", "tls.crt"))).toContain(`DNS:${backendHost},`);
    expect(openssl("x509", "-noout", "-ext", "subjectAltName", "-in", pem("netguard-apiserver-tls", "tls.crt"))).toContain("DNS:netguard-apiserver.netguard.svc");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("the front-proxy CA ConfigMap the API server mounts is made by scripts/copy-front-proxy-ca.sh", () => {
  const script = readFileSync(join(DEPLOY, "scripts/copy-front-proxy-ca.sh"), "utf8");
  expect(script).toContain("extension-apiserver-authentication");
  expect(script).toContain("requestheader-client-ca-file");
  expect(script).toContain("configmap netguard-front-proxy-ca");
  expect(script).toContain("ca.crt=");
  const api = get("auto").objects.find((o) => o.kind === "ConfigMap" && o.metadata.name.startsWith("netguard-apiserver-config"))!;
  expect(api.data["config.yaml"]).toContain("client_ca_file: /etc/netguard/front-proxy/ca.crt");
});
