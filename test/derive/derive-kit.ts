/**
 * Helpers for the derive tests: the engine's state as a StateView, the from-scratch comparison
 * (`deriveAll`), and rebuilding a state from the persisted event log.
 */
import { expect } from "bun:test";
import type { Backend } from "../../src/backend/backend.ts";
import { deriveAll, snapshotState, type ObjectsByKind } from "../../src/backend/derive/derive-all.ts";
import type { Persistence, StoredEvent } from "../../src/backend/store/persistence.ts";
import { canonicalize } from "../../src/kinds/convert.ts";
import { KINDS, kindByName } from "../../src/kinds/kind-table.ts";
import { objectKey, type Condition, type KubeObject } from "../../src/kinds/model.ts";

/** Object without its resourceVersion (derived recomputation does not assign versions). */
function withoutRv(o: KubeObject): KubeObject {
  const c = structuredClone(o);
  delete c.metadata.resourceVersion;
  return c;
}

/** Human-readable differences between two states (empty when equal apart from resourceVersions). */
export function stateDiff(actual: ObjectsByKind, expected: ObjectsByKind): string[] {
  const out: string[] = [];
  for (const k of KINDS) {
    const a = actual.get(k.kind)!;
    const e = expected.get(k.kind)!;
    for (const key of new Set([...a.keys(), ...e.keys()])) {
      const x = a.get(key);
      const y = e.get(key);
      if (!x) out.push(`${k.kind} ${key}: missing (expected ${JSON.stringify(y)})`);
      else if (!y) out.push(`${k.kind} ${key}: should not exist (is ${JSON.stringify(x)})`);
      else if (JSON.stringify(sortKeys(withoutRv(x))) !== JSON.stringify(sortKeys(withoutRv(y)))) {
        out.push(`${k.kind} ${key}:\n  actual   ${JSON.stringify(sortKeys(withoutRv(x)))}\n  expected ${JSON.stringify(sortKeys(withoutRv(y)))}`);
      }
    }
  }
  return out;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) if ((v as Record<string, unknown>)[k] !== undefined) out[k] = sortKeys((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

/** The differences between the backend's state and `deriveAll` of it; also checks canonical form. */
export function derivedDrift(b: Backend): string[] {
  const actual = snapshotState(b.engine.index);
  const out = stateDiff(actual, deriveAll(b.engine.index));
  for (const [kind, objs] of actual) {
    for (const [key, o] of objs) {
      const canon = canonicalize(kindByName(kind)!, o);
      if (JSON.stringify(sortKeys(canon)) !== JSON.stringify(sortKeys(o))) out.push(`${kind} ${key}: not in canonical (wire) form`);
    }
  }
  return out;
}

export function expectNoDrift(b: Backend, context = ""): void {
  const drift = derivedDrift(b);
  if (drift.length) throw new Error(`derived state differs from deriveAll${context ? ` (${context})` : ""}:\n${drift.join("\n")}`);
}

/** Every persisted event of every kind, ascending by resourceVersion. */
export async function persistedEvents(p: Persistence): Promise<StoredEvent[]> {
  const all: StoredEvent[] = [];
  for (const k of KINDS) all.push(...(await p.readEvents(k.kind, 0, Number.MAX_SAFE_INTEGER)));
  return all.sort((a, b) => a.rv - b.rv);
}

/** The state rebuilt by applying `events` in order to an empty store. */
export function replay(events: readonly StoredEvent[]): ObjectsByKind {
  const out: ObjectsByKind = new Map(KINDS.map((k) => [k.kind, new Map<string, KubeObject>()]));
  for (const ev of events) {
    const m = out.get(ev.kind)!;
    const key = objectKey(ev.namespace, ev.name);
    if (ev.type === "DELETED") m.delete(key);
    else m.set(key, ev.object);
  }
  return out;
}

/** Asserts two states are identical, resourceVersions included. */
export function expectSameState(actual: ObjectsByKind, expected: ObjectsByKind): void {
  for (const k of KINDS) {
    const a = [...actual.get(k.kind)!.entries()].sort(([x], [y]) => (x < y ? -1 : 1)).map(([key, o]) => [key, sortKeys(o)]);
    const e = [...expected.get(k.kind)!.entries()].sort(([x], [y]) => (x < y ? -1 : 1)).map(([key, o]) => [key, sortKeys(o)]);
    expect(a).toEqual(e);
  }
}

/** The condition of a type, or undefined. */
export function condition(o: KubeObject | undefined, type: string): Condition | undefined {
  return ((o?.status?.conditions ?? []) as Condition[]).find((c) => c.type === type);
}

/** A seeded PRNG (mulberry32): reproducible random sequences. */
export function createRandom(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    chance: (p: number) => next() < p,
    subset: <T>(xs: readonly T[], max: number): T[] => {
      const n = Math.floor(next() * (max + 1));
      const pool = [...xs];
      const out: T[] = [];
      for (let i = 0; i < n && pool.length; i++) out.push(pool.splice(Math.floor(next() * pool.length), 1)[0]!);
      return out;
    },
  };
}
