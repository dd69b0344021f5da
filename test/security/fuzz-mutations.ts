/**
 * Deterministic mutations of valid request bodies for the seeded fuzz suite: a small seeded PRNG
 * (mulberry32, so a failing seed replays exactly) and mutators at two levels — bytes of the
 * serialized body (flips, cuts, duplicated spans) and the JSON structure (hostile values and keys
 * at random places, removed or renamed keys).
 */

/** A seeded PRNG returning floats in [0, 1). */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rnd: () => number, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const HOSTILE_KEYS = ["__proto__", "constructor", "prototype", "", "a.b", "../x", "\u0000", "toString"];
const nested = (n: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < n; i++) v = [v];
  return v;
};
const HOSTILE_VALUES: readonly unknown[] = [
  null, 0, -1, 1.5, 1e308, -1e308, 9007199254740993, true, "", "x".repeat(300), "\u0000\n\r", "../../etc/passwd", "<script>", [], {}, [null],
  { polluted: "1" }, JSON.parse('{"__proto__":{"polluted":"1"}}'), { constructor: { prototype: { polluted: "1" } } }, nested(1500), "99999999999999999999",
];

/** Every [container, key] pair of a JSON value (objects and arrays), in a stable order. */
function slots(v: unknown, out: Array<[Record<string, unknown> | unknown[], string]> = []): Array<[Record<string, unknown> | unknown[], string]> {
  if (v === null || typeof v !== "object") return out;
  for (const key of Object.keys(v)) {
    out.push([v as Record<string, unknown>, key]);
    slots((v as Record<string, unknown>)[key], out);
  }
  return out;
}

function objectsIn(v: unknown): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  if (v !== null && typeof v === "object" && !Array.isArray(v)) out.push(v as Record<string, unknown>);
  for (const [c, k] of slots(v)) {
    const child = (c as Record<string, unknown>)[k];
    if (child !== null && typeof child === "object" && !Array.isArray(child)) out.push(child as Record<string, unknown>);
  }
  return out;
}

const define = (o: object, k: string, value: unknown) => Object.defineProperty(o, k, { value, enumerable: true, writable: true, configurable: true });

/** One structural mutation of a parsed JSON document (mutated in place); returns its name. */
export function mutateStructure(rnd: () => number, doc: unknown): string {
  const all = slots(doc);
  const objs = objectsIn(doc);
  switch (Math.floor(rnd() * 4)) {
    case 0: {
      if (!all.length) return "none";
      const [c, k] = pick(rnd, all);
      const value = structuredClone(pick(rnd, HOSTILE_VALUES));
      define(c, k, value);
      return `value at ${k}`;
    }
    case 1: {
      if (!objs.length) return "none";
      const key = pick(rnd, HOSTILE_KEYS);
      define(pick(rnd, objs), key, structuredClone(pick(rnd, HOSTILE_VALUES)));
      return `key ${JSON.stringify(key)}`;
    }
    case 2: {
      if (!all.length) return "none";
      const [c, k] = pick(rnd, all);
      if (Array.isArray(c)) c.splice(Number(k), 1);
      else delete c[k];
      return `removed ${k}`;
    }
    default: {
      if (!all.length) return "none";
      const [c, k] = pick(rnd, all);
      if (Array.isArray(c)) return "none";
      const value = c[k];
      delete c[k];
      define(c, pick(rnd, HOSTILE_KEYS), value);
      return `renamed ${k}`;
    }
  }
}

const SPECIALS = ['"', "{", "}", "[", "]", ":", ",", "\\", "\u0000", "-", "0", "e", " ", "\n", "~", "\u00ff"];

/** One byte-level mutation of a serialized body. */
export function mutateText(rnd: () => number, text: string): string {
  if (text.length === 0) return pick(rnd, SPECIALS);
  const at = Math.floor(rnd() * text.length);
  const len = 1 + Math.floor(rnd() * Math.min(16, text.length - at));
  switch (Math.floor(rnd() * 4)) {
    case 0:
      return text.slice(0, at) + pick(rnd, SPECIALS) + text.slice(at + 1);
    case 1:
      return text.slice(0, at) + text.slice(at + len);
    case 2:
      return text.slice(0, at) + text.slice(at, at + len).repeat(2) + text.slice(at);
    default:
      return text.slice(0, at);
  }
}

/** One byte-level mutation of binary protobuf. */
export function mutateBytes(rnd: () => number, bytes: Uint8Array): Uint8Array {
  const out = Uint8Array.from(bytes);
  if (out.length === 0) return new Uint8Array([Math.floor(rnd() * 256)]);
  const at = Math.floor(rnd() * out.length);
  switch (Math.floor(rnd() * 3)) {
    case 0:
      out[at] = Math.floor(rnd() * 256);
      return out;
    case 1:
      return out.slice(0, at);
    default:
      out[at] = out[at]! ^ (1 << Math.floor(rnd() * 8));
      return out;
  }
}
