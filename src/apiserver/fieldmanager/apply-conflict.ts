/**
 * The 409 answer to an apply that would change fields other managers own. Message and causes are
 * kube-apiserver's: one cause per field (`FieldManagerConflict`, `.spec.logs`), the message naming
 * each manager (`"kubectl-edit" using netguard.sgroups.io/v1beta1` for Update owners), so kubectl
 * prints the same advice about `--force-conflicts` it prints against Kubernetes.
 */
import { statusBody, StatusError } from "../status.ts";
import { formatPath, type FieldPath } from "./field-set.ts";
import type { Owner } from "./managed-fields.ts";

/** One conflicting field and the owner it belongs to. */
export interface Conflict {
  owner: Owner;
  ownerId: string;
  path: FieldPath;
}

function describeOwner(o: Owner): string {
  let s = JSON.stringify(o.manager);
  if (o.subresource) s += ` with subresource ${JSON.stringify(o.subresource)}`;
  return o.operation === "Update" ? `${s} using ${o.apiVersion}` : s;
}

function conflictMessage(conflicts: readonly Conflict[]): string {
  if (conflicts.length === 1) {
    const c = conflicts[0]!;
    return `Apply failed with 1 conflict: conflict with ${describeOwner(c.owner)}: ${formatPath(c.path)}`;
  }
  const lines: string[] = [];
  const ids = [...new Set(conflicts.map((c) => c.ownerId))].sort();
  for (const id of ids) {
    const mine = conflicts.filter((c) => c.ownerId === id);
    lines.push(`conflicts with ${describeOwner(mine[0]!.owner)}:`);
    for (const c of mine) lines.push(`- ${formatPath(c.path)}`);
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join("\n")}`;
}

/** A 409 Conflict Status listing every conflicting field; keeps the conflicts for callers. */
export class ApplyConflictError extends StatusError {
  constructor(readonly conflicts: readonly Conflict[]) {
    const body = statusBody(409, "Conflict", conflictMessage(conflicts));
    body.details = {
      causes: conflicts.map((c) => ({ reason: "FieldManagerConflict", message: `conflict with ${describeOwner(c.owner)}`, field: formatPath(c.path) })),
    };
    super(body);
  }
}
