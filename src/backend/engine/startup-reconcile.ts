/**
 * The start-up reconcile: derived data written by an older version (or missing) is brought up to
 * date in one commit before the engine serves anything. A failure is reported, not fatal: the
 * engine still starts, and the next write of each affected object derives it again.
 */
import type { DeriveSink, DeriveStep } from "../derive/derive-step.ts";

/** Runs the reconcile as one write; `onWarning` hears why it failed (default console.warn). */
export async function reconcileAtStart(
  write: (build: (sink: DeriveSink) => void) => Promise<void>,
  derive: DeriveStep,
  onWarning: ((message: string) => void) | undefined,
): Promise<void> {
  await write((sink) => derive.reconcile(sink)).catch((e: unknown) => {
    (onWarning ?? console.warn)(`derived objects could not be reconciled at start: ${e instanceof Error ? e.message : String(e)}`);
  });
}
