/**
 * The bridge from client-side to server-side apply for the manager `kubectl`, as kube-apiserver
 * builds it: fields whose live value still equals the `last-applied-configuration` annotation were
 * set by client-side apply, so `kubectl apply --server-side` may take them without a conflict; and
 * while the annotation exists, every `kubectl` apply rewrites it, so a later client-side apply
 * still computes the right three-way patch.
 */
import { API_VERSION, cloneJson } from "../../kinds/model.ts";
import { difference, type FieldSet } from "./field-set.ts";
import { compareObjects, fieldSetOf } from "./object-fields.ts";

export const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
/** The only manager the bridge serves (kubectl's default for `apply --server-side`). */
export const KUBECTL_SSA_MANAGER = "kubectl";

type Json = Record<string, unknown>;
const isMap = (v: unknown): v is Json => v !== null && typeof v === "object" && !Array.isArray(v);

function lastAppliedOf(obj: Json): string | undefined {
  const meta = obj.metadata;
  const annotations = isMap(meta) && isMap(meta.annotations) ? meta.annotations : undefined;
  const v = annotations && Object.hasOwn(annotations, LAST_APPLIED) ? annotations[LAST_APPLIED] : undefined;
  return typeof v === "string" && v !== "" ? v : undefined;
}

/** Fields client-side apply still accounts for in `live`; undefined without a usable annotation. */
export function allowedFromLastApplied(live: Json): FieldSet | undefined {
  const text = lastAppliedOf(live);
  if (text === undefined) return undefined;
  let last: unknown;
  try {
    last = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isMap(last) || last.apiVersion !== API_VERSION) return undefined;
  const cmp = compareObjects(last, live);
  return difference(difference(difference(fieldSetOf(last), cmp.modified), cmp.added), cmp.removed);
}

/** Go's JSON encoding of a map: sorted keys, `<>&` and U+2028/9 escaped, a trailing newline. */
function goJson(v: unknown): string {
  const enc = (x: unknown): string => {
    if (Array.isArray(x)) return `[${x.map(enc).join(",")}]`;
    if (isMap(x)) return `{${Object.keys(x).sort().map((k) => `${JSON.stringify(k)}:${enc(x[k])}`).join(",")}}`;
    return JSON.stringify(x) ?? "null";
  };
  return `${enc(v).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029")}\n`;
}

/** Rewrites the annotation of `result` (in place) from `applied`, when `result` has one. */
export function refreshLastApplied(result: Json, applied: Json): void {
  if (lastAppliedOf(result) === undefined) return;
  const copy = cloneJson(applied);
  const meta = isMap(copy.metadata) ? copy.metadata : undefined;
  // Only the key goes: an emptied map stays `{}`, as Go's SetAnnotations leaves it.
  if (meta && isMap(meta.annotations)) delete meta.annotations[LAST_APPLIED];
  const annotations = (result.metadata as Json).annotations as Json;
  annotations[LAST_APPLIED] = goJson(copy);
}
