/**
 * The import itself: each upstream row, in dependency order, through the engine's validated write
 * path (engine.create / engine.update), one object per transaction, so one bad object costs only
 * itself. Re-running is idempotent: an object already in the store with the same spec, labels and
 * annotations is `unchanged` (nothing written); one that differs is `updated` to upstream's
 * content (upstream is the source being migrated from). Every row gets exactly one outcome.
 */
import type { Engine } from "../backend/engine/mod.ts";
import { kindByName } from "../kinds/kind-table.ts";
import { jsonEqual, type KubeObject } from "../kinds/model.ts";
import { pinKey, type IdentityPins } from "./pinning-persistence.ts";
import { RowError } from "./row-error.ts";
import type { SourceRow } from "./upstream-source.ts";
import { decodeUpstreamObject } from "./upstream-object.ts";

export type Outcome = "created" | "updated" | "unchanged" | "skipped";

export interface ObjectResult {
  kind: string;
  namespace: string;
  name: string;
  outcome: Outcome;
  /** Why it was skipped (or what changed on update). */
  reason?: string;
}

export interface ImportSummary {
  results: ObjectResult[];
  totals: Record<Outcome, number>;
}

/** Spec, labels and annotations: what the import writes and compares. */
function sameContent(stored: KubeObject, wanted: KubeObject): boolean {
  return (
    jsonEqual(stored.spec ?? {}, wanted.spec ?? {}) &&
    jsonEqual(stored.metadata.labels ?? {}, wanted.metadata.labels ?? {}) &&
    jsonEqual(stored.metadata.annotations ?? {}, wanted.metadata.annotations ?? {})
  );
}

/** The stored object with upstream's spec, labels and annotations (finalizers etc. kept). */
function updateOf(stored: KubeObject, wanted: KubeObject): KubeObject {
  const metadata = { ...stored.metadata };
  if (wanted.metadata.labels) metadata.labels = wanted.metadata.labels;
  else delete metadata.labels;
  if (wanted.metadata.annotations) metadata.annotations = wanted.metadata.annotations;
  else delete metadata.annotations;
  return { ...stored, metadata, spec: wanted.spec };
}

function reasonOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Writes `rows` into `engine`. `pins` receives the uid and creation time to keep for each object
 * created (read by the pinning persistence at commit).
 */
export async function runImport(engine: Engine, rows: SourceRow[], pins: IdentityPins, onResult: (r: ObjectResult) => void = () => undefined): Promise<ImportSummary> {
  const results: ObjectResult[] = [];
  const totals: Record<Outcome, number> = { created: 0, updated: 0, unchanged: 0, skipped: 0 };
  const report = (r: ObjectResult) => {
    results.push(r);
    totals[r.outcome] += 1;
    onResult(r);
  };
  for (const { table, row, meta } of rows) {
    const namespace = typeof row.namespace === "string" ? row.namespace : "";
    const name = typeof row.name === "string" ? row.name : "";
    const id = { kind: table.kind, namespace, name };
    const skipReason = table.derived ?? table.skip?.(row);
    if (skipReason) {
      report({ ...id, outcome: "skipped", reason: skipReason });
      continue;
    }
    const kind = kindByName(table.kind)!;
    try {
      const { object, identity } = decodeUpstreamObject(table, row, meta);
      const stored = engine.get(kind, namespace, name);
      if (!stored) {
        pins.set(pinKey(table.kind, namespace, name), identity);
        await engine.create(kind, object);
        report({ ...id, outcome: "created" });
      } else if (sameContent(stored, object)) {
        report({ ...id, outcome: "unchanged" });
      } else {
        await engine.update(kind, updateOf(stored, object));
        report({ ...id, outcome: "updated" });
      }
    } catch (e) {
      report({ ...id, outcome: "skipped", reason: e instanceof RowError ? `malformed row: ${e.message}` : reasonOf(e) });
    }
  }
  return { results, totals };
}
