/**
 * Server-owned status conditions (`Ready`, `Validated`, `Synced`, `Error`, with upstream
 * netguard-pg-backend's reasons), computed in the same transaction as the change that causes them.
 *
 * Upstream recomputed them in a later, separate transaction and stamped `lastTransitionTime` with
 * the current time on every recomputation, so every write was followed by a second event and the
 * timestamps meant nothing. Here a condition keeps its previous `lastTransitionTime` unless its
 * status flips; an unchanged condition set therefore leaves the object unchanged (no event).
 * Conditions of other types (set by clients through UpdateStatus) are kept after the managed ones.
 */
import { formatTime } from "../../kinds/convert.ts";
import type { Condition } from "../../kinds/model.ts";

export const MANAGED_CONDITION_TYPES: readonly string[] = ["Ready", "Validated", "Synced", "Error"];

/** A condition before it is stamped with generation and time. */
export interface ConditionDraft {
  type: string;
  status: "True" | "False";
  reason: string;
  message: string;
}

/** The managed conditions of an object of `kind` that is (not) ready for the given reasons. */
export function managedConditions(kind: string, notReady: readonly string[], synced: boolean): ConditionDraft[] {
  const ready = notReady.length === 0;
  const problems = notReady.join("; ");
  const out: ConditionDraft[] = [
    ready
      ? { type: "Ready", status: "True", reason: "Ready", message: `${kind} is ready` }
      : { type: "Ready", status: "False", reason: "NotReady", message: problems },
    { type: "Validated", status: "True", reason: "Validated", message: `${kind} passed validation` },
  ];
  if (synced) out.push({ type: "Synced", status: "True", reason: "Synced", message: "derived objects are up to date" });
  if (!ready) out.push({ type: "Error", status: "True", reason: "DependencyError", message: problems });
  return out;
}

/**
 * Final conditions: the drafts stamped with `generation`, each keeping the `lastTransitionTime` of
 * the same type in `previous` when its status did not change (otherwise `now`), followed by the
 * object's non-managed conditions.
 */
export function stampConditions(
  drafts: readonly ConditionDraft[],
  generation: number,
  previous: readonly Condition[] | undefined,
  foreign: readonly Condition[],
  now: Date,
): Condition[] {
  const stamp = formatTime(now);
  const out: Condition[] = drafts.map((d) => {
    const prev = previous?.find((c) => c.type === d.type);
    const lastTransitionTime = prev && prev.status === d.status && prev.lastTransitionTime ? prev.lastTransitionTime : stamp;
    return { type: d.type, status: d.status, observedGeneration: generation, lastTransitionTime, reason: d.reason, message: d.message };
  });
  return [...out, ...foreign.filter((c) => !MANAGED_CONDITION_TYPES.includes(c.type))];
}
