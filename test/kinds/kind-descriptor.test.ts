/**
 * The descriptor shape (src/kinds/kind-descriptor.ts): what `defineKind` derives from a kind's own
 * data, and that the table's lookups agree with the descriptors.
 */
import { describe, expect, test } from "bun:test";
import { listOf, str, typedRef } from "../../src/kinds/codecs.ts";
import { defineKind, field, type KindSpec } from "../../src/kinds/kind-descriptor.ts";
import { KINDS, kindByName, kindByPlural, kindByResourceCase, kindByResourceKind, kindBySyncCase } from "../../src/kinds/kind-table.ts";

describe("kind descriptors", () => {
  test("references are the fields whose codec names a kind (single and list), in field order", () => {
    const spec = { ...KINDS[0]!, kind: "Probe" } as KindSpec;
    const probe = defineKind({
      ...spec,
      fields: [
        field("spec.description", "description", str),
        field("spec.targets", "targets", listOf(typedRef("Target"))),
        field("spec.ownerRef", "ownerRef", typedRef("Owner")),
      ],
    });
    expect(probe.refs).toEqual([
      { path: ["spec", "targets"], kind: "Target" },
      { path: ["spec", "ownerRef"], kind: "Owner" },
    ]);
    expect(probe.listKind).toBe("ProbeList");
  });

  test("every kind's references point at kinds of the table", () => {
    for (const k of KINDS) for (const r of k.refs) expect(kindByName(r.kind)?.kind).toBe(r.kind);
  });

  test("every lookup finds each kind by its own keys, and the keys are unique", () => {
    for (const k of KINDS) {
      expect(kindByName(k.kind)).toBe(k);
      expect(kindByPlural(k.plural)).toBe(k);
      expect(kindByResourceKind(k.resourceKind)).toBe(k);
      expect(kindByResourceCase(k.resourceCase)).toBe(k);
      expect(kindBySyncCase(k.syncCase)).toBe(k);
    }
    for (const key of ["kind", "plural", "resourceKind", "resourceCase", "syncCase"] as const) {
      expect(new Set(KINDS.map((k) => k[key])).size).toBe(KINDS.length);
    }
  });

  test("every read-only, immutable and status path is a mapped field of the kind", () => {
    for (const k of KINDS) {
      const paths = new Set(k.fields.map((f) => f.path.join(".")));
      for (const p of [...k.readOnly, ...k.immutable, ...k.statusFields]) expect(`${k.kind} ${p.join(".")} ${paths.has(p.join("."))}`).toBe(`${k.kind} ${p.join(".")} true`);
    }
  });
});
