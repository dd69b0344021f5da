/**
 * Stateless checks of reference fields, driven by the kind table's `refs`: each reference needs a
 * DNS-1123 `name`, a non-empty `namespace` (the registry validators require it even though the JSON
 * tag is omitempty), the expected target `kind`, and — when given — the netguard `apiVersion`.
 * The kind check is what rejects old manifests that still say `kind: ServiceAlias` in a RuleS2S.
 */
import type { KindDescriptor, RefField } from "../kind-table.ts";
import { API_VERSION } from "../model.ts";
import { violation, type FieldViolation } from "../violations.ts";
import { child, dotted, item } from "../../domain/field-path.ts";
import { checkOptionalList } from "./field-checks.ts";
import { asRecord, readPath } from "../../domain/json-access.ts";
import { dns1123SubdomainErrors } from "../../domain/k8s-names.ts";
import { refIdentity } from "../../domain/references.ts";

/** Checks one reference value expected to point at `expectedKind`. Absent is Required. */
export function checkReference(value: unknown, field: string, expectedKind: string, sameNamespace = false): FieldViolation[] {
  if (value === undefined || value === null) return [violation.required(field)];
  const ref = asRecord(value);
  if (!ref) return [violation.invalid(field, "must be an object reference {apiVersion, kind, name, namespace}")];
  const out: FieldViolation[] = [];
  const kindMsg = `kind must be '${expectedKind}'`;
  if (ref.kind === undefined || ref.kind === null || ref.kind === "") out.push(violation.required(child(field, "kind"), kindMsg));
  else if (ref.kind !== expectedKind) out.push(violation.invalid(child(field, "kind"), kindMsg));

  const av = ref.apiVersion;
  if (av !== undefined && av !== null && av !== "" && av !== API_VERSION) {
    out.push(violation.invalid(child(field, "apiVersion"), `apiVersion must be '${API_VERSION}'`));
  }

  const name = ref.name;
  if (name === undefined || name === null || name === "") out.push(violation.required(child(field, "name")));
  else if (typeof name !== "string") out.push(violation.invalid(child(field, "name"), "must be a string"));
  else for (const m of dns1123SubdomainErrors(name)) out.push(violation.invalid(child(field, "name"), m));

  const ns = ref.namespace;
  if (ns === undefined || ns === null || ns === "") {
    // a same-namespace reference (upstream's ObjectReference) names the referring object's namespace
    if (!sameNamespace) out.push(violation.required(child(field, "namespace")));
  } else if (typeof ns !== "string") out.push(violation.invalid(child(field, "namespace"), "must be a string"));
  return out;
}

/**
 * Checks every ref path of the kind. Paths in `listPaths` hold an optional list of references;
 * every other path holds exactly one required reference.
 */
export function validateReferenceFields(kind: KindDescriptor, obj: unknown, listPaths: ReadonlySet<string>): FieldViolation[] {
  const out: FieldViolation[] = [];
  const own = readPath(obj, ["metadata", "namespace"]);
  const check = (ref: RefField, v: unknown, field: string) => {
    out.push(...checkReference(v, field, ref.kind, ref.sameNamespace));
    // a same-namespace reference that names a namespace must name the object's own
    const ns = asRecord(v)?.namespace;
    if (ref.sameNamespace && typeof ns === "string" && ns !== "" && typeof own === "string" && own !== "" && ns !== own) {
      out.push(violation.invalid(child(field, "namespace"), `namespace "${ns}" must equal metadata.namespace "${own}"`));
    }
  };
  for (const ref of kind.refs) {
    const field = dotted(ref.path);
    const value = readPath(obj, ref.path);
    if (listPaths.has(field)) checkOptionalList(value, field, out).forEach((v, i) => check(ref, v, item(field, i)));
    else check(ref, value, field);
  }
  return out;
}

/** A ref path whose namespace must equal the object's own namespace, and why (shown to the user). */
export interface SameNamespaceRef {
  path: string;
  reason?: string;
}

/**
 * Rejects references whose namespace differs from the object's own namespace, for ref paths where
 * netguard requires that (RuleS2S `serviceLocalRef`, ServiceAlias `serviceRef`, the AddressGroup of
 * an AddressGroupBindingPolicy, which must live in its AddressGroup's namespace).
 */
export function validateSameNamespaceRefs(obj: unknown, refs: readonly SameNamespaceRef[]): FieldViolation[] {
  const own = readPath(obj, ["metadata", "namespace"]);
  if (typeof own !== "string" || own === "") return [];
  const out: FieldViolation[] = [];
  for (const { path, reason } of refs) {
    const id = refIdentity(readPath(obj, path.split(".")));
    if (id && id.namespace !== own) {
      const why = reason ? `: ${reason}` : "";
      out.push(
        violation.invalid(child(path, "namespace"), `namespace "${id.namespace}" must equal metadata.namespace "${own}"${why}`),
      );
    }
  }
  return out;
}
