/**
 * `metadata.managedFields` decoded into owners and encoded back, as kube-apiserver keeps them. An
 * owner is identified by manager name, operation, subresource and — for Update only — apiVersion,
 * so one applier keeps one entry however it applies. Entries are encoded sorted (Apply before
 * Update, then by time, manager, apiVersion, subresource) so that equal ownership is equal data
 * and an unchanged apply writes nothing.
 */
import { API_VERSION, type ManagedFieldsEntry } from "../../kinds/model.ts";
import { decodeFieldsV1, encodeFieldsV1 } from "./fields-v1.ts";
import type { FieldSet } from "./field-set.ts";

export type Operation = "Apply" | "Update";

/** One owner and the fields it owns. */
export interface Owner {
  manager: string;
  operation: Operation;
  apiVersion: string;
  subresource: string;
  time?: string;
  set: FieldSet;
}

/** Owners by identifier. */
export type Managed = Map<string, Owner>;

/** The identifier of an owner (kube-apiserver's: the entry without time and fields, as JSON). */
export function ownerId(o: Pick<Owner, "manager" | "operation" | "apiVersion" | "subresource">): string {
  const id: Record<string, string> = {};
  if (o.manager) id.manager = o.manager;
  id.operation = o.operation;
  if (o.operation === "Update" && o.apiVersion) id.apiVersion = o.apiVersion;
  if (o.subresource) id.subresource = o.subresource;
  return JSON.stringify(id);
}

/** A new owner of this API version. */
export function createOwner(manager: string, operation: Operation, subresource: string, set: FieldSet): Owner {
  return { manager, operation, apiVersion: API_VERSION, subresource, set };
}

const isString = (v: unknown): v is string => typeof v === "string";

/**
 * Decodes managed fields; throws on anything malformed (not a list, unknown operation or fields
 * type, undecodable fields, two entries for one owner).
 */
export function decodeManagedFields(raw: unknown): Managed {
  if (!Array.isArray(raw)) throw new Error("managedFields must be a list");
  const managed: Managed = new Map();
  for (const e of raw) {
    if (e === null || typeof e !== "object" || Array.isArray(e)) throw new Error("a managedFields entry must be an object");
    const entry = e as Record<string, unknown>;
    const { manager = "", operation, apiVersion = "", subresource = "", time, fieldsType } = entry;
    if (!isString(manager) || !isString(apiVersion) || !isString(subresource)) throw new Error("malformed managedFields entry");
    if (operation !== "Apply" && operation !== "Update") throw new Error(`unknown managedFields operation ${JSON.stringify(operation)}`);
    if (fieldsType !== "FieldsV1") throw new Error(`unsupported fieldsType ${JSON.stringify(fieldsType)}`);
    if (time !== undefined && (!isString(time) || Number.isNaN(Date.parse(time)))) throw new Error("malformed managedFields time");
    const owner: Owner = { manager, operation, apiVersion, subresource, set: decodeFieldsV1(entry.fieldsV1 ?? {}) };
    if (time !== undefined) owner.time = time;
    const id = ownerId(owner);
    if (managed.has(id)) throw new Error(`duplicate managedFields entries for ${id}`);
    managed.set(id, owner);
  }
  return managed;
}

/** Decodes managed fields, treating malformed content as no ownership at all. */
export function decodeOrEmpty(raw: unknown): Managed {
  if (raw === undefined) return new Map();
  try {
    return decodeManagedFields(raw);
  } catch {
    return new Map();
  }
}

const seconds = (t: string | undefined) => (t ? Math.floor(Date.parse(t) / 1000) : 0);
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The `metadata.managedFields` list of `managed`, in kube-apiserver's order. */
export function encodeManagedFields(managed: Managed): ManagedFieldsEntry[] {
  const owners = [...managed.values()].sort(
    (p, q) =>
      cmp(p.operation, q.operation) ||
      seconds(p.time) - seconds(q.time) ||
      cmp(p.manager, q.manager) ||
      cmp(p.apiVersion, q.apiVersion) ||
      cmp(p.subresource, q.subresource),
  );
  return owners.map((o) => {
    const e: ManagedFieldsEntry = { manager: o.manager, operation: o.operation, apiVersion: o.apiVersion };
    if (o.time) e.time = o.time;
    e.fieldsType = "FieldsV1";
    e.fieldsV1 = encodeFieldsV1(o.set);
    if (o.subresource) e.subresource = o.subresource;
    return e;
  });
}
