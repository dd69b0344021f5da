/**
 * Kubernetes label and field selectors: parsed once per list/watch request into predicates, so the
 * per-event cost of filtering is a few map lookups. Shared by the backend's Watch/List RPCs and the
 * API server's watch cache.
 */
import type { KubeObject } from "./model.ts";

export class SelectorError extends Error {
  constructor(
    readonly param: "labelSelector" | "fieldSelector",
    message: string,
  ) {
    super(message);
  }
}

type LabelRequirement =
  | { op: "eq" | "neq"; key: string; value: string }
  | { op: "in" | "notin"; key: string; values: Set<string> }
  | { op: "exists" | "notexists"; key: string };

export type LabelPredicate = (labels: Record<string, string> | undefined) => boolean;

const KEY = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

/** Splits on commas that are not inside parentheses. */
function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "," && depth === 0) {
      out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  out.push(s.slice(start));
  return out.map((x) => x.trim()).filter((x) => x.length > 0);
}

function checkKey(key: string, raw: string): string {
  if (!KEY.test(key)) throw new SelectorError("labelSelector", `invalid label key "${key}" in "${raw}"`);
  return key;
}
function checkValue(v: string, raw: string): string {
  if (v.length > 63 || !VALUE.test(v)) throw new SelectorError("labelSelector", `invalid label value "${v}" in "${raw}"`);
  return v;
}

function parseRequirement(term: string): LabelRequirement {
  let m = /^!\s*(\S+)$/.exec(term);
  if (m) return { op: "notexists", key: checkKey(m[1]!, term) };
  m = /^(\S+?)\s+(in|notin)\s*\((.*)\)$/.exec(term);
  if (m) {
    const values = m[3]!
      .split(",")
      .map((v) => v.trim())
      .filter((v) => v.length > 0)
      .map((v) => checkValue(v, term));
    if (values.length === 0) throw new SelectorError("labelSelector", `empty value set in "${term}"`);
    return { op: m[2] as "in" | "notin", key: checkKey(m[1]!, term), values: new Set(values) };
  }
  m = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
  if (m) {
    return { op: m[2] === "!=" ? "neq" : "eq", key: checkKey(m[1]!, term), value: checkValue(m[3]!, term) };
  }
  if (/^[^=!\s()]+$/.test(term)) return { op: "exists", key: checkKey(term, term) };
  throw new SelectorError("labelSelector", `unable to parse requirement "${term}"`);
}

function matches(r: LabelRequirement, labels: Record<string, string> | undefined): boolean {
  const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, r.key);
  const v = has ? labels![r.key] : undefined;
  switch (r.op) {
    case "eq":
      return has && v === r.value;
    case "neq":
      return !has || v !== r.value;
    case "in":
      return has && r.values.has(v!);
    case "notin":
      return !has || !r.values.has(v!);
    case "exists":
      return has;
    case "notexists":
      return !has;
  }
}

/** Parses a label selector ("" selects everything). Throws SelectorError on bad syntax. */
/** The predicate of an empty label selector: one shared function (watchers keep their filters). */
export const ALL_LABELS: LabelPredicate = () => true;

export function parseLabelSelector(selector: string | undefined | null): LabelPredicate {
  const terms = splitTop(selector ?? "");
  if (terms.length === 0) return ALL_LABELS;
  const reqs = terms.map(parseRequirement);
  return (labels) => {
    for (const r of reqs) if (!matches(r, labels)) return false;
    return true;
  };
}

export interface FieldRequirement {
  field: "metadata.name" | "metadata.namespace";
  op: "eq" | "neq";
  value: string;
}

export type ObjectPredicate = (obj: KubeObject) => boolean;

/** Parses a field selector over metadata.name / metadata.namespace. */
export function parseFieldSelector(selector: string | undefined | null): FieldRequirement[] {
  const out: FieldRequirement[] = [];
  for (const term of splitTop(selector ?? "")) {
    const m = /^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!m) throw new SelectorError("fieldSelector", `invalid field selector term "${term}"`);
    const field = m[1]!;
    if (field !== "metadata.name" && field !== "metadata.namespace") {
      throw new SelectorError(
        "fieldSelector",
        `field label not supported: "${field}" (supported: metadata.name, metadata.namespace)`,
      );
    }
    out.push({ field, op: m[2] === "!=" ? "neq" : "eq", value: m[3]!.trim() });
  }
  return out;
}

/** Whether an object's name/namespace satisfy field requirements. */
export function matchesFields(reqs: readonly FieldRequirement[], namespace: string, name: string): boolean {
  for (const r of reqs) {
    const v = r.field === "metadata.name" ? name : namespace;
    if ((v === r.value) !== (r.op === "eq")) return false;
  }
  return true;
}

/** The full filter of a list or watch request. */
export interface ObjectFilter {
  namespace: string;
  labels: LabelPredicate;
  fields: FieldRequirement[];
  /** True when nothing is filtered out (fast path). */
  everything: boolean;
}

/** Builds a filter; throws SelectorError on bad syntax. */
export function createObjectFilter(namespace: string, labelSelector: string, fieldSelector: string): ObjectFilter {
  const labels = parseLabelSelector(labelSelector);
  const fields = parseFieldSelector(fieldSelector);
  return {
    namespace,
    labels,
    fields,
    everything: !namespace && !labelSelector.trim() && fields.length === 0,
  };
}

/**
 * Parses one request's namespace and selectors into its filter — the only place list and watch
 * requests do so (backend List/Watch RPCs, API-server verbs), once per request. Bad syntax throws
 * what `fail` makes of the message ("labelSelector: ..." / "fieldSelector: ..."), so each side
 * answers with its own error (a Connect code, a Kubernetes Status) and nothing starts.
 */
export function parseRequestFilter(
  namespace: string,
  labelSelector: string,
  fieldSelector: string,
  fail: (message: string) => Error,
): ObjectFilter {
  try {
    return createObjectFilter(namespace, labelSelector, fieldSelector);
  } catch (e) {
    if (e instanceof SelectorError) throw fail(`${e.param}: ${e.message}`);
    throw e;
  }
}

/** Whether an object with these coordinates and labels passes the filter. */
export function filterAccepts(
  f: ObjectFilter,
  namespace: string,
  name: string,
  labels: Record<string, string> | undefined,
): boolean {
  if (f.everything) return true;
  if (f.namespace && namespace !== f.namespace) return false;
  if (!matchesFields(f.fields, namespace, name)) return false;
  return f.labels(labels);
}
