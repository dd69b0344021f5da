/**
 * Checks on `metadata` common to every kind: name (or generateName), namespace, labels,
 * annotations and finalizer names, with Kubernetes syntax and limits. All netguard kinds are namespaced, so the namespace
 * is required here rather than defaulted: defaulting belongs to the API server's request handling.
 */
import { violation, type FieldViolation } from "../violations.ts";
import { asRecord } from "../../domain/json-access.ts";
import {
  dns1123LabelErrors,
  dns1123SubdomainErrors,
  generateNamePrefixErrors,
  labelValueErrors,
  qualifiedNameErrors,
} from "../../domain/k8s-names.ts";

/** Kubernetes `TotalAnnotationSizeLimitB`: keys plus values, in bytes. */
export const MAX_ANNOTATIONS_BYTES = 256 * 1024;

const utf8 = new TextEncoder();

/** Validates `obj.metadata`; `obj` may be anything. */
export function validateMetadata(obj: unknown): FieldViolation[] {
  const raw = asRecord(obj)?.metadata;
  const meta = asRecord(raw);
  if (!meta) {
    return [raw === undefined || raw === null ? violation.required("metadata") : violation.invalid("metadata", "must be an object")];
  }
  return [
    ...validateName(meta),
    ...validateNamespace(meta.namespace),
    ...validateLabels(meta.labels),
    ...validateAnnotations(meta.annotations),
    ...validateFinalizerNames(meta.finalizers),
  ];
}

/** `metadata.finalizers`: a list of qualified names, as Kubernetes checks every finalizer. */
function validateFinalizerNames(finalizers: unknown): FieldViolation[] {
  const field = "metadata.finalizers";
  if (finalizers === undefined || finalizers === null) return [];
  if (!Array.isArray(finalizers)) return [violation.invalid(field, "must be a list of strings")];
  const out: FieldViolation[] = [];
  finalizers.forEach((name, i) => {
    if (typeof name !== "string") out.push(violation.invalid(`${field}[${i}]`, "must be a string"));
    else for (const m of qualifiedNameErrors(name)) out.push(violation.invalid(`${field}[${i}]`, `${JSON.stringify(name)}: ${m}`));
  });
  return out;
}

function validateName(meta: Record<string, unknown>): FieldViolation[] {
  const { name, generateName } = meta;
  if (name === undefined || name === null || name === "") {
    if (generateName === undefined || generateName === null || generateName === "") {
      return [violation.required("metadata.name", "name or generateName is required")];
    }
    if (typeof generateName !== "string") return [violation.invalid("metadata.generateName", "must be a string")];
    return generateNamePrefixErrors(generateName).map((m) => violation.invalid("metadata.generateName", m));
  }
  if (typeof name !== "string") return [violation.invalid("metadata.name", "must be a string")];
  return dns1123SubdomainErrors(name).map((m) => violation.invalid("metadata.name", m));
}

function validateNamespace(namespace: unknown): FieldViolation[] {
  if (namespace === undefined || namespace === null || namespace === "") return [violation.required("metadata.namespace")];
  if (typeof namespace !== "string") return [violation.invalid("metadata.namespace", "must be a string")];
  return dns1123LabelErrors(namespace).map((m) => violation.invalid("metadata.namespace", m));
}

function validateLabels(labels: unknown): FieldViolation[] {
  const field = "metadata.labels";
  if (labels === undefined || labels === null) return [];
  const map = asRecord(labels);
  if (!map) return [violation.invalid(field, "must be a map of string keys to string values")];
  const out: FieldViolation[] = [];
  for (const [key, value] of Object.entries(map)) {
    for (const m of qualifiedNameErrors(key)) out.push(violation.invalid(field, `label key ${JSON.stringify(key)}: ${m}`));
    if (typeof value !== "string") {
      out.push(violation.invalid(field, `label ${JSON.stringify(key)}: value must be a string`));
      continue;
    }
    for (const m of labelValueErrors(value)) out.push(violation.invalid(field, `label ${JSON.stringify(key)} value ${JSON.stringify(value)}: ${m}`));
  }
  return out;
}

function validateAnnotations(annotations: unknown): FieldViolation[] {
  const field = "metadata.annotations";
  if (annotations === undefined || annotations === null) return [];
  const map = asRecord(annotations);
  if (!map) return [violation.invalid(field, "must be a map of string keys to string values")];
  const out: FieldViolation[] = [];
  let bytes = 0;
  for (const [key, value] of Object.entries(map)) {
    // Kubernetes lower-cases annotation keys before checking them.
    for (const m of qualifiedNameErrors(key.toLowerCase())) out.push(violation.invalid(field, `annotation key ${JSON.stringify(key)}: ${m}`));
    if (typeof value !== "string") {
      out.push(violation.invalid(field, `annotation ${JSON.stringify(key)}: value must be a string`));
      continue;
    }
    bytes += utf8.encode(key).length + utf8.encode(value).length;
  }
  if (bytes > MAX_ANNOTATIONS_BYTES) out.push(violation.tooLong(field, MAX_ANNOTATIONS_BYTES));
  return out;
}
