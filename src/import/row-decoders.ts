/**
 * Decoders from upstream's column values (read as JSON, see upstream-source.ts) to the Kubernetes
 * shapes of the kind table. Each one checks the type it expects and throws RowError otherwise, so
 * a hostile row is reported by column instead of reaching the engine as garbage. Optional values
 * come out canonical (false booleans, empty strings and empty lists absent), the way objects read
 * back over the wire, so a second import compares equal.
 */
import { API_VERSION } from "../kinds/model.ts";
import { RowError } from "./row-error.ts";

/** An upstream row: column name to its JSON value (to_jsonb of the row). */
export type UpstreamRow = Record<string, unknown>;

/** Computes one spec field from a row; undefined leaves the field out. */
export type FieldDecoder = (row: UpstreamRow) => unknown;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A required text column (domains such as rule_action arrive as strings). */
export const text = (column: string): FieldDecoder => (row) => {
  const v = row[column];
  if (typeof v !== "string" || v === "") throw new RowError(column, `expected a non-empty string, got ${JSON.stringify(v)}`);
  return v;
};

/** An optional text column: null and "" leave the field out. */
export const optionalText = (column: string): FieldDecoder => (row) => {
  const v = row[column];
  if (v === null || v === undefined || v === "") return undefined;
  if (typeof v !== "string") throw new RowError(column, `expected a string, got ${JSON.stringify(v)}`);
  return v;
};

/** A boolean column; false and null leave the field out. */
export const flag = (column: string): FieldDecoder => (row) => {
  const v = row[column];
  if (v === null || v === undefined || v === false) return undefined;
  if (v !== true) throw new RowError(column, `expected a boolean, got ${JSON.stringify(v)}`);
  return true;
};

/** A reference stored as two flat columns (namespace, name), as bindings and aliases keep them. */
export const flatRef = (kind: string, nsColumn: string, nameColumn: string): FieldDecoder => (row) => ({
  apiVersion: API_VERSION,
  kind,
  name: text(nameColumn)(row),
  namespace: text(nsColumn)(row),
});

/** One NamespacedObjectReference from JSON; a missing apiVersion/kind takes the expected one. */
function jsonRef(column: string, kind: string, v: unknown): Record<string, string> {
  if (!isRecord(v)) throw new RowError(column, `expected a reference object, got ${JSON.stringify(v)}`);
  const out: Record<string, string> = {};
  for (const key of ["apiVersion", "kind", "name", "namespace"] as const) {
    const x = v[key];
    if (x === undefined || x === null || x === "") {
      if (key === "apiVersion") out[key] = API_VERSION;
      else if (key === "kind") out[key] = kind;
      else throw new RowError(column, `reference without ${key}`);
    } else if (typeof x !== "string") throw new RowError(column, `reference ${key} is not a string`);
    else out[key] = x;
  }
  return out;
}

/** A JSONB reference column (rule_s2s.service_ref, policies' refs). */
export const refColumn = (kind: string, column: string): FieldDecoder => (row) => jsonRef(column, kind, row[column]);

/** A JSONB array of references (services.address_groups, address_groups.hosts); empty is absent. */
export const refList = (kind: string, column: string): FieldDecoder => (row) => {
  const v = row[column];
  if (v === null || v === undefined) return undefined;
  if (!Array.isArray(v)) throw new RowError(column, `expected an array, got ${JSON.stringify(v)}`);
  return v.length ? v.map((x) => jsonRef(column, kind, x)) : undefined;
};

/** services.ingress_ports: [{protocol, port, description}]. */
export const ingressPorts = (column: string): FieldDecoder => (row) => {
  const v = row[column];
  if (v === null || v === undefined) return undefined;
  if (!Array.isArray(v)) throw new RowError(column, `expected an array, got ${JSON.stringify(v)}`);
  if (!v.length) return undefined;
  return v.map((p, i) => {
    if (!isRecord(p) || typeof p.protocol !== "string" || typeof p.port !== "string") {
      throw new RowError(column, `entry ${i} needs string protocol and port, got ${JSON.stringify(p)}`);
    }
    const out: Record<string, string> = { protocol: p.protocol, port: p.port };
    if (typeof p.description === "string" && p.description) out.description = p.description;
    return out;
  });
};

function portNumber(column: string, s: string): number {
  if (!/^\d{1,5}$/.test(s)) throw new RowError(column, `"${s}" is not a port number`);
  return Number(s);
}

/**
 * ie_ag_ag_rules.ports: Go PortSpec structs without JSON tags ([{Source, Destination}]), the
 * destination a comma list such as "80,443,8080-8090". Split the way upstream's converter does:
 * one `ports[]` entry per element, `port` or `portRange`. Source ports have no Kubernetes field.
 */
export const rulePorts = (column: string): FieldDecoder => (row) => {
  const v = row[column];
  if (v === null || v === undefined) return undefined;
  if (!Array.isArray(v)) throw new RowError(column, `expected an array, got ${JSON.stringify(v)}`);
  const out: Record<string, unknown>[] = [];
  for (const spec of v) {
    const dest = isRecord(spec) ? (spec.Destination ?? spec.destination) : undefined;
    if (typeof dest !== "string") throw new RowError(column, `entry without a Destination string: ${JSON.stringify(spec)}`);
    for (const part of dest.split(",").map((s) => s.trim()).filter(Boolean)) {
      const range = /^(\d+)-(\d+)$/.exec(part);
      if (range) out.push({ portRange: { from: portNumber(column, range[1]!), to: portNumber(column, range[2]!) } });
      else out.push({ port: portNumber(column, part) });
    }
  }
  return out.length ? out : undefined;
};
