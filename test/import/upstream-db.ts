/**
 * An upstream-shaped PostgreSQL database for the import tests: a fresh database per run
 * (`netguard_imp_<pid>_<random>`, dropped afterwards) whose schema comes from upstream's own goose
 * migrations (migrations/*.sql of a fetched PRO-Robotech/netguard-pg-backend, `Up` sections, in
 * order) when a copy is present, else from the committed derived fallback
 * `upstream-schema.derived.sql`. Objects are inserted the way upstream's PG writers store them.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createPostgresReader, type PostgresReader } from "../../src/runtime/postgres-reader.ts";
import type { KubeObject } from "../../src/kinds/model.ts";

export const ADMIN_URL = process.env.NETGUARD_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
/** A git directory of upstream (the `fetch` mirror); NETGUARD_UPSTREAM_GIT_DIR overrides. */
const UPSTREAM_GIT_DIR = process.env.NETGUARD_UPSTREAM_GIT_DIR ?? "/work/.mirror/PRO-Robotech+netguard-pg-backend/repo";

/** Upstream's migration `Up` sections, in order, or undefined when no copy is at hand. */
function upstreamMigrations(): string[] | undefined {
  if (!existsSync(UPSTREAM_GIT_DIR)) return undefined;
  try {
    const git = (...a: string[]) => execFileSync("git", ["-C", UPSTREAM_GIT_DIR, ...a], { encoding: "utf8", maxBuffer: 1 << 24 });
    const files = git("ls-tree", "--name-only", "HEAD", "migrations/").split("\n").filter((f) => f.endsWith(".sql")).sort();
    if (!files.length) return undefined;
    return files.map((f) => git("show", `HEAD:${f}`).split("-- +goose Down")[0]!.replace("-- +goose Up", ""));
  } catch {
    return undefined;
  }
}

export interface UpstreamDatabase {
  url: string;
  name: string;
  /** "upstream migrations (N files)" or "derived fallback schema". */
  schemaSource: string;
  db: PostgresReader;
  drop(): Promise<void>;
}

export async function createUpstreamDatabase(): Promise<UpstreamDatabase> {
  const name = `netguard_imp_${process.pid}_${crypto.randomUUID().replaceAll("-", "").slice(0, 10)}`;
  const admin = await createPostgresReader(ADMIN_URL, { timeoutMs: 30_000 });
  await admin.query(`CREATE DATABASE ${name}`);
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  const db = await createPostgresReader(u.toString(), { timeoutMs: 30_000 });
  const migrations = upstreamMigrations();
  const scripts = migrations ?? [readFileSync(join(import.meta.dir, "upstream-schema.derived.sql"), "utf8")];
  for (const s of scripts) await db.query(s);
  return {
    url: u.toString(),
    name,
    schemaSource: migrations ? `upstream migrations (${migrations.length} files)` : "derived fallback schema",
    db,
    async drop() {
      await db.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.close();
    },
  };
}

/** Identity and metadata upstream keeps in k8s_metadata. */
export interface UpstreamMeta {
  uid: string;
  createdAt: string;
}

const j = (v: unknown) => JSON.stringify(v ?? null);
type Spec = Record<string, any>;

/** The columns upstream's writer for each kind fills, from a Kubernetes object. */
const ROW_OF: Record<string, (s: Spec) => [string, Record<string, unknown>]> = {
  AddressGroup: (s) => ["address_groups", { default_action: s.defaultAction, logs: !!s.logs, trace: !!s.trace, description: "" }],
  Service: (s) => ["services", { description: s.description ?? "", ingress_ports: j((s.ingressPorts ?? []).map((p: Spec) => ({ protocol: p.protocol, port: p.port, description: p.description ?? "" }))), address_groups: j(s.addressGroups ?? []) }],
  AddressGroupBinding: (s) => ["address_group_bindings", { service_namespace: s.serviceRef.namespace, service_name: s.serviceRef.name, address_group_namespace: s.addressGroupRef.namespace, address_group_name: s.addressGroupRef.name }],
  ServiceAlias: (s) => ["service_aliases", { service_namespace: s.serviceRef.namespace, service_name: s.serviceRef.name }],
  AddressGroupBindingPolicy: (s) => ["address_group_binding_policies", { address_group_ref: j(s.addressGroupRef), service_ref: j(s.serviceRef) }],
  RuleS2S: (s) => ["rule_s2s", { traffic: s.traffic, service_local_ref: j(s.serviceLocalRef), service_ref: j(s.serviceRef), ieagag_rule_refs: "[]", trace: !!s.trace }],
  IEAgAgRule: (s) => ["ie_ag_ag_rules", {
    transport: s.transport, traffic: s.traffic, action: s.action ?? "ACCEPT",
    address_group_local_namespace: s.addressGroupLocal.namespace, address_group_local_name: s.addressGroupLocal.name,
    address_group_namespace: s.addressGroup.namespace, address_group_name: s.addressGroup.name,
    // one PortSpec, every port in one comma-joined Destination (upstream's generator and converter)
    ports: j([{ Source: "", Destination: (s.ports ?? []).map((p: Spec) => (p.portRange ? `${p.portRange.from}-${p.portRange.to}` : String(p.port))).join(",") }]),
    trace: !!s.trace,
  }],
  Network: (s) => ["networks", { cidr: s.cidr }],
  NetworkBinding: (s) => ["network_bindings", { network_namespace: s.networkRef.namespace, network_name: s.networkRef.name, address_group_namespace: s.addressGroupRef.namespace, address_group_name: s.addressGroupRef.name }],
  Host: (s) => ["hosts", { uuid: s.uuid }],
  HostBinding: (s) => ["host_bindings", { host_namespace: s.hostRef.namespace, host_name: s.hostRef.name, address_group_namespace: s.addressGroupRef.namespace, address_group_name: s.addressGroupRef.name }],
};

const JSONB = new Set(["ingress_ports", "address_groups", "address_group_ref", "service_ref", "service_local_ref", "ieagag_rule_refs", "ports", "access_ports"]);

/** Inserts a k8s_metadata row and the kind's row, as upstream's writers do; `override` replaces columns verbatim. */
export async function insertUpstream(db: PostgresReader, obj: KubeObject, meta: UpstreamMeta, override: Record<string, unknown> = {}): Promise<void> {
  const [table, cols] = obj.kind === "AddressGroupPortMapping" ? ["address_group_port_mappings", { access_ports: "{}" }] : ROW_OF[obj.kind]!(obj.spec ?? {});
  const m = await db.query(
    `INSERT INTO k8s_metadata (labels, annotations, conditions, uid, created_at) VALUES ($1::text::jsonb, $2::text::jsonb, $3::text::jsonb, $4::uuid, $5::timestamptz) RETURNING resource_version`,
    [j(obj.metadata.labels ?? {}), j(obj.metadata.annotations ?? {}), j([{ type: "Ready", status: "True", reason: "Ready", message: "", lastTransitionTime: meta.createdAt }]), meta.uid, meta.createdAt],
  );
  const row = { namespace: obj.metadata.namespace, name: obj.metadata.name, ...cols, ...override, resource_version: String(m[0]!.resource_version) };
  const names = Object.keys(row);
  const values = names.map((n) => `$${names.indexOf(n) + 1}${JSONB.has(n) ? "::text::jsonb" : n === "resource_version" ? "::bigint" : ""}`);
  await db.query(`INSERT INTO ${table} (${names.join(", ")}) VALUES (${values.join(", ")})`, Object.values(row));
}
