/**
 * The FieldsV1 wire form of a field set, as `metadata.managedFields[].fieldsV1` carries it:
 * `{"f:spec": {".": {}, "f:logs": {}}}`. Each `f:<name>` key is a field, `.` marks that the
 * enclosing path is itself a member. Encoding sorts keys the way kube-apiserver does (`.` first),
 * so the same set always serialises to the same bytes. Decoding accepts only what netguard can own:
 * `k:`/`v:`/`i:` list-item keys never occur because every list is atomic, so they are rejected
 * like any other malformed content (the caller then falls back to the live object's entries).
 */
import { createFieldSet, type FieldSet } from "./field-set.ts";

/** Deeper than any netguard schema: a bound on recursion for hostile input. */
const MAX_DEPTH = 64;

/** The FieldsV1 object of a set. */
export function encodeFieldsV1(set: FieldSet): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const names = [...set.children.keys()].sort();
  const hasChildren = names.length > 0;
  if (set.member && hasChildren) out["."] = {};
  for (const name of names) out[`f:${name}`] = encodeFieldsV1(set.children.get(name)!);
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function decodeNode(raw: unknown, depth: number, member: boolean): FieldSet {
  if (!isPlainObject(raw)) throw new Error("a FieldsV1 node must be an object");
  if (depth > MAX_DEPTH) throw new Error("FieldsV1 is nested too deeply");
  const node = createFieldSet();
  const keys = Object.keys(raw);
  // A leaf (`{}`) is a member; an inner node is one only with `.`.
  node.member = member && (keys.length === 0 || keys.includes("."));
  for (const key of keys) {
    const value = raw[key];
    if (key === ".") {
      if (!isPlainObject(value) || Object.keys(value).length) throw new Error(`FieldsV1 "." must be {}`);
      continue;
    }
    if (!key.startsWith("f:")) throw new Error(`unsupported FieldsV1 key ${JSON.stringify(key)}`);
    node.children.set(key.slice(2), decodeNode(value, depth + 1, true));
  }
  return node;
}

/** The set of a FieldsV1 object; throws on anything malformed or unsupported. */
export function decodeFieldsV1(raw: unknown): FieldSet {
  return decodeNode(raw, 0, false);
}
