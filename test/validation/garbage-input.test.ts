/**
 * Robustness: validation must report bad input, never throw. Every position of every §8 fixture is
 * replaced with values of the wrong JSON type, and the results are checked for internal errors.
 */
import { describe, expect, test } from "bun:test";
import { KINDS } from "../../src/kinds/kind-table.ts";
import type { KubeObject } from "../../src/kinds/model.ts";
import { deleteBlockers, validateObject, validateWrite } from "../../src/kinds/validation/index.ts";
import { allFixtures, fixtureState } from "./fixtures.ts";
import { kindOf } from "./memory-state.ts";

const GARBAGE: unknown[] = [null, 42, -1.5, "☃", "", [], [null], [1, "x"], {}, { x: 1 }, true];

type Path = (string | number)[];

/** Every path inside a JSON value (objects and arrays), the root excluded. */
function paths(v: unknown, prefix: Path = []): Path[] {
  if (v === null || typeof v !== "object") return [];
  const out: Path[] = [];
  const entries: [string | number, unknown][] = Array.isArray(v) ? v.map((x, i) => [i, x]) : Object.entries(v);
  for (const [k, child] of entries) {
    out.push([...prefix, k]);
    out.push(...paths(child, [...prefix, k]));
  }
  return out;
}

function replaced(o: KubeObject, path: Path, value: unknown): KubeObject {
  const copy = structuredClone(o) as unknown as Record<string | number, unknown>;
  let cur = copy;
  for (const seg of path.slice(0, -1)) cur = cur[seg] as Record<string | number, unknown>;
  cur[path[path.length - 1]!] = value;
  return copy as unknown as KubeObject;
}

const jsonClass = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);
const internal = (messages: string[]) => messages.filter((m) => m.includes("could not be validated") || m.includes("could not be checked"));

describe("garbage input", () => {
  test("validateObject reports a violation instead of throwing for non-object input", () => {
    for (const k of KINDS) {
      for (const g of [null, undefined, 42, "Service", [], [{}]]) {
        const v = validateObject(k, g as unknown as KubeObject);
        expect(v.length).toBeGreaterThan(0);
      }
    }
  });

  test("an empty object gets Required violations, not an exception", () => {
    for (const k of KINDS) {
      const v = validateObject(k, {} as KubeObject);
      expect(v).toContainEqual({ field: "metadata", reason: "FieldValueRequired", message: "Required value" });
      expect(internal(v.map((x) => x.message))).toEqual([]);
    }
  });

  test("wrong JSON types at any position of any fixture are reported, never thrown", () => {
    let cases = 0;
    for (const original of allFixtures) {
      const kind = kindOf(original.kind);
      for (const path of paths(original)) {
        const before = path.reduce<unknown>((cur, seg) => (cur as Record<string | number, unknown>)[seg], original);
        for (const g of GARBAGE) {
          const bad = replaced(original, path, g);
          const label = `${original.kind} ${original.metadata.name} ${path.join(".")} = ${JSON.stringify(g)}`;
          const v = validateObject(kind, bad);
          expect({ label, internal: internal(v.map((x) => x.message)) }).toEqual({ label, internal: [] });
          const rootEnvelope = path.length === 1 && (path[0] === "apiVersion" || path[0] === "kind");
          if (g !== null && jsonClass(g) !== jsonClass(before) && !rootEnvelope) {
            expect({ label, violations: v.length > 0 }).toEqual({ label, violations: true });
          }

          // Stateful checks with the garbage object both as the write and inside the state.
          const state = fixtureState();
          const w = [...validateWrite(kind, bad, undefined, state), ...validateWrite(kind, bad, original, state)];
          if (bad.metadata?.name === original.metadata.name && bad.metadata?.namespace === original.metadata.namespace) state.put(bad);
          for (const k of KINDS) for (const o of allFixtures.filter((f) => f.kind === k.kind)) {
            w.push(...validateWrite(k, o, o, state));
            expect(internal(deleteBlockers(k, o, state))).toEqual([]);
          }
          expect({ label, internal: internal(w.map((x) => x.message)) }).toEqual({ label, internal: [] });
          expect(internal(deleteBlockers(kind, bad, state))).toEqual([]);
          cases++;
        }
      }
    }
    expect(cases).toBeGreaterThan(1000);
  });
});
