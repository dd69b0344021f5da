/**
 * JSON patch (RFC 6902): `kubectl patch --type json`. Operations add, remove, replace, move, copy
 * and test, applied in order to a copy of the document; the whole patch fails if one operation
 * fails. A malformed patch document is the client's error (400 BadRequest); a well-formed patch
 * that cannot be applied (missing path, failed test) is 422, as kube-apiserver answers.
 */
import { jsonEqual } from "../../../kinds/model.ts";
import { statusBody, StatusError, statusError } from "../../status.ts";
import { hasOwnKey, setOwn } from "../../../kinds/own-keys.ts";
import { arrayIndex, parsePointer } from "./json-pointer.ts";

/** One validated JSON patch operation (paths already split into segments). */
export type JsonPatchOp =
  | { op: "add" | "replace" | "test"; path: string[]; value: unknown; raw: string }
  | { op: "remove"; path: string[]; raw: string }
  | { op: "move" | "copy"; path: string[]; from: string[]; raw: string; rawFrom: string };

const OPS = new Set(["add", "remove", "replace", "move", "copy", "test"]);

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** Validates the shape of a JSON patch document; malformed → 400. */
export function parseJsonPatch(doc: unknown): JsonPatchOp[] {
  if (!Array.isArray(doc)) throw statusError.badRequest("json patch: the patch must be a JSON array of operations");
  return doc.map((raw, i) => {
    if (!isObject(raw)) throw statusError.badRequest(`json patch: operation ${i} must be an object`);
    const op = raw.op;
    if (typeof op !== "string" || !OPS.has(op)) throw statusError.badRequest(`json patch: operation ${i}: unknown op ${JSON.stringify(op)}`);
    if (typeof raw.path !== "string") throw statusError.badRequest(`json patch: operation ${i} (${op}): missing path`);
    const path = parsePointer(raw.path);
    if (!path) throw statusError.badRequest(`json patch: operation ${i} (${op}): invalid path ${JSON.stringify(raw.path)}`);
    if (op === "remove") return { op, path, raw: raw.path };
    if (op === "move" || op === "copy") {
      if (typeof raw.from !== "string") throw statusError.badRequest(`json patch: operation ${i} (${op}): missing from`);
      const from = parsePointer(raw.from);
      if (!from) throw statusError.badRequest(`json patch: operation ${i} (${op}): invalid from ${JSON.stringify(raw.from)}`);
      return { op, path, from, raw: raw.path, rawFrom: raw.from };
    }
    if (!Object.hasOwn(raw, "value")) throw statusError.badRequest(`json patch: operation ${i} (${op}): missing value`);
    return { op: op as "add" | "replace" | "test", path, value: raw.value, raw: raw.path };
  });
}

/** A patch that parses but cannot be applied: 422 (kube-apiserver's generic response). */
function unprocessable(message: string): StatusError {
  return new StatusError(statusBody(422, "Invalid", `json patch: ${message}`));
}

/** The container of the last segment and that segment, for writing. */
function parentOf(doc: unknown, path: string[], raw: string): { parent: unknown; key: string } {
  let cur = doc;
  for (const seg of path.slice(0, -1)) {
    if (Array.isArray(cur)) {
      const i = arrayIndex(seg);
      if (i === undefined || i >= cur.length) throw unprocessable(`path ${raw}: index ${seg} out of range`);
      cur = cur[i];
    } else if (isObject(cur)) {
      // Own keys only: `__proto__` or `constructor` in a path is a missing member, never Object.prototype.
      if (!hasOwnKey(cur, seg)) throw unprocessable(`path ${raw}: ${seg} does not exist`);
      cur = cur[seg];
    } else throw unprocessable(`path ${raw}: ${seg} is not inside an object or array`);
  }
  return { parent: cur, key: path[path.length - 1]! };
}

function get(doc: unknown, path: string[], raw: string): unknown {
  if (path.length === 0) return doc;
  const { parent, key } = parentOf(doc, path, raw);
  if (Array.isArray(parent)) {
    const i = arrayIndex(key);
    if (i === undefined || i >= parent.length) throw unprocessable(`path ${raw}: index ${key} out of range`);
    return parent[i];
  }
  if (isObject(parent) && hasOwnKey(parent, key)) return parent[key];
  throw unprocessable(`path ${raw} does not exist`);
}

function add(doc: unknown, path: string[], value: unknown, raw: string): unknown {
  if (path.length === 0) return value;
  const { parent, key } = parentOf(doc, path, raw);
  if (Array.isArray(parent)) {
    const i = key === "-" ? parent.length : arrayIndex(key);
    if (i === undefined || i > parent.length) throw unprocessable(`path ${raw}: index ${key} out of range`);
    parent.splice(i, 0, value);
  } else if (isObject(parent)) setOwn(parent, key, value);
  else throw unprocessable(`path ${raw}: parent is not an object or array`);
  return doc;
}

function remove(doc: unknown, path: string[], raw: string): unknown {
  if (path.length === 0) throw unprocessable("the document root cannot be removed");
  const { parent, key } = parentOf(doc, path, raw);
  if (Array.isArray(parent)) {
    const i = arrayIndex(key);
    if (i === undefined || i >= parent.length) throw unprocessable(`path ${raw}: index ${key} out of range`);
    parent.splice(i, 1);
  } else if (isObject(parent) && hasOwnKey(parent, key)) delete parent[key];
  else throw unprocessable(`path ${raw} does not exist`);
  return doc;
}

/** `doc` with `ops` applied (the input is not modified). */
export function applyJsonPatch(doc: unknown, ops: readonly JsonPatchOp[]): unknown {
  let cur = structuredClone(doc);
  for (const op of ops) {
    switch (op.op) {
      case "add":
        cur = add(cur, op.path, structuredClone(op.value), op.raw);
        break;
      case "remove":
        cur = remove(cur, op.path, op.raw);
        break;
      case "replace":
        get(cur, op.path, op.raw);
        cur = op.path.length === 0 ? structuredClone(op.value) : add(remove(cur, op.path, op.raw), op.path, structuredClone(op.value), op.raw);
        break;
      case "move": {
        if (op.raw.startsWith(`${op.rawFrom}/`)) throw unprocessable(`cannot move ${op.rawFrom} into its own child ${op.raw}`);
        const value = get(cur, op.from, op.rawFrom);
        cur = add(remove(cur, op.from, op.rawFrom), op.path, value, op.raw);
        break;
      }
      case "copy":
        cur = add(cur, op.path, structuredClone(get(cur, op.from, op.rawFrom)), op.raw);
        break;
      case "test":
        if (!jsonEqual(get(cur, op.path, op.raw), op.value)) throw unprocessable(`test failed: the value at ${op.raw} is not ${JSON.stringify(op.value)}`);
        break;
    }
  }
  return cur;
}

/** Whether any operation writes `metadata.resourceVersion` (then it is a precondition). */
export function jsonPatchTouchesResourceVersion(ops: readonly JsonPatchOp[]): boolean {
  return ops.some((o) => o.op !== "test" && o.op !== "remove" && (o.path.length === 0 || (o.path[0] === "metadata" && (o.path.length === 1 || o.path[1] === "resourceVersion"))));
}
