/**
 * Checks that nothing a client sent reached a shared prototype: a snapshot of the own properties
 * of `Object.prototype`, `Array.prototype` and `Function.prototype` (names and descriptors) taken
 * before hostile requests, compared after them. Tests run the API server and backend in-process,
 * so pollution by either would show here.
 */
import { expect } from "bun:test";

const TARGETS = { "Object.prototype": Object.prototype, "Array.prototype": Array.prototype, "Function.prototype": Function.prototype } as const;

type Snapshot = Record<string, Record<string, string>>;

function describeProps(target: object): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Reflect.ownKeys(target)) {
    const d = Object.getOwnPropertyDescriptor(target, key)!;
    out[String(key)] = `${typeof d.value}:${typeof d.get}:${typeof d.set}:${d.enumerable}:${d.writable}`;
  }
  return out;
}

/** The current shape of the shared prototypes. */
export function prototypeSnapshot(): Snapshot {
  const out: Snapshot = {};
  for (const [name, target] of Object.entries(TARGETS)) out[name] = describeProps(target);
  // Object.prototype.__proto__ must stay null: a setter call on it would throw, a change would show.
  out["Object.prototype.__proto__"] = { value: String(Object.getPrototypeOf(Object.prototype)) };
  return out;
}

/** Asserts the prototypes look as in `before`, and that a fresh object and array inherit nothing new. */
export function expectPrototypesClean(before: Snapshot): void {
  expect(prototypeSnapshot()).toEqual(before);
  const fresh = {} as Record<string, unknown>;
  for (const key of ["labels", "annotations", "trace", "logs", "spec", "metadata", "polluted", "x"]) expect(fresh[key]).toBeUndefined();
  expect(([] as unknown as Record<string, unknown>).polluted).toBeUndefined();
}
