// References between rendered objects that no schema checks and kube-apiserver accepts anyway,
// failing only at run time: a Service selecting no pod, a named port nobody declares, a volume of a
// Secret nothing makes, a binding to a missing ServiceAccount, an APIService without a CA.
import { id, type K8sObject } from "./render.ts";

export interface Pods {
  owner: K8sObject;
  ns: string;
  labels: Record<string, string>;
  spec: K8sObject;
}

export function workloads(objs: K8sObject[]): Pods[] {
  return objs
    .filter((o) => o.kind === "Deployment" || o.kind === "StatefulSet")
    .map((o) => ({ owner: o, ns: o.metadata.namespace, labels: o.spec.template.metadata?.labels ?? {}, spec: o.spec.template.spec }));
}

const matches = (sel: Record<string, string> | undefined, labels: Record<string, string>): boolean =>
  !!sel && Object.keys(sel).length > 0 && Object.entries(sel).every(([k, v]) => labels[k] === v);

const find = (objs: K8sObject[], kind: string, ns: string | undefined, name: string) =>
  objs.find((o) => o.kind === kind && o.metadata.name === name && (ns === undefined || o.metadata.namespace === ns));

function declaresPort(p: Pods, port: string | number): boolean {
  return p.spec.containers.some((c: K8sObject) => (c.ports ?? []).some((cp: K8sObject) => (typeof port === "number" ? cp.containerPort === port : cp.name === port)));
}

/** Built-in roles every cluster has (kube's RBAC bootstrap policy). */
const BOOTSTRAP = new Set(["ClusterRole/system:auth-delegator", "Role/kube-system/extension-apiserver-authentication-reader"]);

/**
 * Problems found; `external` names objects made outside the render (e.g. "ConfigMap/netguard/x"),
 * each of which the caller has checked is documented and made by a script.
 */
export function crossRefProblems(objs: K8sObject[], external: Set<string>): string[] {
  const out: string[] = [];
  const pods = workloads(objs);
  const exists = (kind: string, ns: string, name: string) => !!find(objs, kind, ns, name) || external.has(`${kind}/${ns}/${name}`);
  const secretMade = (ns: string, name: string) =>
    exists("Secret", ns, name) || objs.some((o) => o.kind === "Certificate" && o.metadata.namespace === ns && o.spec.secretName === name);

  for (const p of pods) {
    const w = id(p.owner);
    if (!matches(p.owner.spec.selector?.matchLabels, p.labels)) out.push(`${w}: selector does not match its pod template labels`);
    const sa = p.spec.serviceAccountName;
    if (!sa || !exists("ServiceAccount", p.ns, sa)) out.push(`${w}: serviceAccountName ${sa} does not exist`);
    for (const v of p.spec.volumes ?? []) {
      if (v.configMap && !exists("ConfigMap", p.ns, v.configMap.name)) out.push(`${w}: volume ${v.name}: ConfigMap ${v.configMap.name} is made by nothing`);
      if (v.secret && !secretMade(p.ns, v.secret.secretName)) out.push(`${w}: volume ${v.name}: Secret ${v.secret.secretName} is made by nothing`);
    }
    const vols = new Set([...(p.spec.volumes ?? []).map((v: K8sObject) => v.name), ...(p.owner.spec.volumeClaimTemplates ?? []).map((v: K8sObject) => v.metadata.name)]);
    for (const c of p.spec.containers) {
      for (const m of c.volumeMounts ?? []) if (!vols.has(m.name)) out.push(`${w}: container ${c.name} mounts unknown volume ${m.name}`);
      for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe].filter(Boolean)) {
        if (!declaresPort(p, probe.httpGet?.port)) out.push(`${w}: probe ${probe.httpGet?.path} uses undeclared port ${probe.httpGet?.port}`);
      }
    }
    if (p.owner.kind === "StatefulSet") {
      const svc = find(objs, "Service", p.ns, p.owner.spec.serviceName);
      if (!svc || svc.spec.clusterIP !== "None") out.push(`${w}: serviceName ${p.owner.spec.serviceName} is not a headless Service`);
    }
  }

  for (const s of objs.filter((o) => o.kind === "Service")) {
    const selected = pods.filter((p) => p.ns === s.metadata.namespace && matches(s.spec.selector, p.labels));
    if (!selected.length) out.push(`${id(s)}: selects no pods`);
    for (const port of s.spec.ports ?? []) {
      const target = port.targetPort ?? port.port;
      for (const p of selected) if (!declaresPort(p, target)) out.push(`${id(s)}: port ${port.name} targets ${target}, which ${id(p.owner)} does not declare`);
    }
  }

  for (const pdb of objs.filter((o) => o.kind === "PodDisruptionBudget")) {
    if (!pods.some((p) => p.ns === pdb.metadata.namespace && matches(pdb.spec.selector?.matchLabels, p.labels))) out.push(`${id(pdb)}: selects no pods`);
  }

  for (const np of objs.filter((o) => o.kind === "NetworkPolicy")) {
    const ns = np.metadata.namespace;
    const selected = pods.filter((p) => p.ns === ns && matches(np.spec.podSelector?.matchLabels, p.labels));
    if (!selected.length) out.push(`${id(np)}: podSelector selects no pods`);
    for (const rule of np.spec.ingress ?? []) {
      for (const port of rule.ports ?? []) for (const p of selected) if (!declaresPort(p, port.port)) out.push(`${id(np)}: port ${port.port} is not declared by ${id(p.owner)}`);
      for (const from of rule.from ?? []) {
        if (from.podSelector && !from.namespaceSelector && !pods.some((p) => p.ns === ns && matches(from.podSelector.matchLabels, p.labels))) {
          out.push(`${id(np)}: ingress from a podSelector that selects no pods`);
        }
      }
    }
  }

  for (const b of objs.filter((o) => o.kind === "RoleBinding" || o.kind === "ClusterRoleBinding")) {
    for (const s of b.subjects ?? []) if (s.kind === "ServiceAccount" && !exists("ServiceAccount", s.namespace, s.name)) out.push(`${id(b)}: subject ServiceAccount ${s.namespace}/${s.name} does not exist`);
    const ref = b.roleRef.kind === "Role" ? `Role/${b.metadata.namespace}/${b.roleRef.name}` : `ClusterRole/${b.roleRef.name}`;
    const found = b.roleRef.kind === "Role" ? find(objs, "Role", b.metadata.namespace, b.roleRef.name) : find(objs, "ClusterRole", undefined, b.roleRef.name);
    if (!found && !BOOTSTRAP.has(ref)) out.push(`${id(b)}: roleRef ${ref} does not exist`);
  }

  for (const a of objs.filter((o) => o.kind === "APIService")) {
    if (a.metadata.name !== `${a.spec.version}.${a.spec.group}`) out.push(`${id(a)}: name must be <version>.<group>`);
    const { namespace, name, port } = a.spec.service ?? {};
    const svc = find(objs, "Service", namespace, name);
    if (!svc) out.push(`${id(a)}: service ${namespace}/${name} does not exist`);
    else if (!svc.spec.ports.some((p: K8sObject) => p.port === (port ?? 443))) out.push(`${id(a)}: Service ${name} has no port ${port}`);
    const inject = a.metadata.annotations?.["cert-manager.io/inject-ca-from"];
    if (inject) {
      const [cns, cname] = inject.split("/");
      const cert = find(objs, "Certificate", cns, cname);
      if (!cert) out.push(`${id(a)}: inject-ca-from names a missing Certificate ${inject}`);
      else if (!cert.spec.dnsNames?.includes(`${name}.${namespace}.svc`)) out.push(`${id(a)}: Certificate ${inject} lacks ${name}.${namespace}.svc`);
    } else if (!a.spec.caBundle && !external.has(`APIService/caBundle/${a.metadata.name}`)) {
      out.push(`${id(a)}: neither caBundle nor cert-manager.io/inject-ca-from`);
    }
  }

  for (const c of objs.filter((o) => o.kind === "Certificate")) {
    const ref = c.spec.issuerRef;
    const issuer = find(objs, ref.kind ?? "Issuer", ref.kind === "ClusterIssuer" ? undefined : c.metadata.namespace, ref.name);
    if (!issuer) out.push(`${id(c)}: issuer ${ref.kind}/${ref.name} does not exist`);
    else if (issuer.spec.ca && !objs.some((o) => o.kind === "Certificate" && o.spec.isCA && o.spec.secretName === issuer.spec.ca.secretName)) {
      out.push(`${id(issuer)}: CA Secret ${issuer.spec.ca.secretName} is made by no CA Certificate`);
    }
  }
  return out;
}
