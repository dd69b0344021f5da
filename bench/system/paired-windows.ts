/**
 * Paired short windows: the cost of a variant read against the baseline windows right beside it.
 *
 * On this shared machine one 10 s window of the same writes moves by 20–30% from window to window
 * (even with the process alone on its CPU), which is more than a Watch stream costs, so medians of a
 * few long windows per variant can come out in any order. The drift is slow, though: windows of a
 * couple of seconds that alternate baseline, variant, baseline, … see about the same machine, and
 * the difference of a variant's window from the mean of the baseline windows before and after it
 * cancels most of the drift. Many such differences give a median and a spread worth reading.
 */

/** One measured window: which variant ran and what it cost (any unit, e.g. CPU seconds). */
export interface MeasuredWindow {
  variant: string;
  cost: number;
}

/** The differences of one variant from its neighbouring baselines, summarised. */
export interface PairedExtra {
  variant: string;
  /** Each window's cost minus the mean of the baseline windows next to it. */
  diffs: number[];
  median: number;
  /** Lower and upper quartile of `diffs`. */
  q1: number;
  q3: number;
}

function quantile(sorted: readonly number[], q: number): number {
  if (!sorted.length) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/**
 * For every non-baseline window, its cost minus the mean of the nearest baseline window before it
 * and the nearest one after it (only one of them at either end of the sequence; windows with no
 * baseline on either side are left out), grouped by variant in order of first appearance.
 */
export function pairedExtras(windows: readonly MeasuredWindow[], baseline: string): PairedExtra[] {
  const byVariant = new Map<string, number[]>();
  windows.forEach((w, i) => {
    if (w.variant === baseline) return;
    const neighbours: number[] = [];
    for (let j = i - 1; j >= 0; j--) {
      if (windows[j]!.variant === baseline) {
        neighbours.push(windows[j]!.cost);
        break;
      }
    }
    for (let j = i + 1; j < windows.length; j++) {
      if (windows[j]!.variant === baseline) {
        neighbours.push(windows[j]!.cost);
        break;
      }
    }
    if (!byVariant.has(w.variant)) byVariant.set(w.variant, []);
    if (!neighbours.length) return;
    const base = neighbours.reduce((a, b) => a + b, 0) / neighbours.length;
    byVariant.get(w.variant)!.push(w.cost - base);
  });
  return [...byVariant].map(([variant, diffs]) => {
    const sorted = [...diffs].sort((a, b) => a - b);
    return { variant, diffs, median: quantile(sorted, 0.5), q1: quantile(sorted, 0.25), q3: quantile(sorted, 0.75) };
  });
}

/**
 * The order of one cycle: the baseline before every variant, the variants rotated by `cycle` so
 * that none always follows the same neighbour. The caller ends the run with one more baseline.
 */
export function cycleOrder<T>(baseline: T, variants: readonly T[], cycle: number): T[] {
  const n = variants.length;
  return variants.flatMap((_, i) => [baseline, variants[(i + cycle) % n]!]);
}
