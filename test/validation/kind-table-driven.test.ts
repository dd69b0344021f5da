/** The generic checks follow the kind table's `refs` and `immutable` data for every kind. */
import { describe, expect, test } from "bun:test";
import { KINDS } from "../../src/kinds/kind-table.ts";
import { setPath } from "../../src/kinds/model.ts";
import { validateWrite } from "../../src/kinds/validation/index.ts";
import { refsAt } from "../../src/domain/references.ts";
import { allFixtures, fixtureState } from "./fixtures.ts";

const sampleOf = (kind: string) => allFixtures.find((f) => f.kind === kind && (kind !== "Service" || f.spec?.addressGroups));

describe("kind-table driven checks", () => {
  test("every immutable path of every kind rejects a change on update", () => {
    let checked = 0;
    for (const kind of KINDS) {
      const sample = sampleOf(kind.kind);
      if (!sample || kind.immutable.length === 0) continue;
      for (const path of kind.immutable) {
        const updated = structuredClone(sample);
        setPath(updated as unknown as Record<string, unknown>, path, { changed: true });
        const v = validateWrite(kind, updated, sample, fixtureState());
        expect(v).toContainEqual({ field: path.join("."), reason: "FieldValueInvalid", message: "field is immutable" });
        checked++;
      }
    }
    expect(checked).toBe(KINDS.reduce((n, k) => n + k.immutable.length, 0));
  });

  test("every reference of every kind must exist", () => {
    for (const kind of KINDS) {
      const sample = sampleOf(kind.kind);
      if (!sample) continue;
      for (const refField of kind.refs) {
        for (const located of refsAt(sample, refField)) {
          const state = fixtureState();
          const target = located.value as { namespace: string; name: string };
          state.remove(refField.kind, target.namespace, target.name);
          const v = validateWrite(kind, sample, sample, state);
          expect(v).toContainEqual({
            field: located.field,
            reason: "FieldValueNotFound",
            message: `${refField.kind} "${target.namespace}/${target.name}" not found`,
          });
        }
      }
    }
  });
});
