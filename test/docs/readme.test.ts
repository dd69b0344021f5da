/**
 * The README is the newcomer's first ten minutes: its commands must run on a machine with only
 * Node.js and npm, and its benchmark prose must not drift from the generated tables.
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const README = readFileSync(join(import.meta.dir, "..", "..", "README.md"), "utf8");

/** Text between `<!-- NAME:start -->` and `<!-- NAME:end -->`. */
function generated(name: string): string {
  const start = README.indexOf(`<!-- ${name}:start -->`);
  const end = README.indexOf(`<!-- ${name}:end -->`);
  if (start < 0 || end < start) throw new Error(`README has no ${name} markers`);
  return README.slice(start, end);
}

/** Numbers as written in prose ("1,000", "8.5", "950"), without thousands separators. */
function figures(text: string): string[] {
  return [...text.matchAll(/(?<![\w.-])\d[\d,]*(?:\.\d+)?/g)].map((m) => m[0].replace(/,/g, "").replace(/\.$/, ""));
}

describe("README", () => {
  test("runs bun through npx (bun is not on PATH after the npm bootstrap)", () => {
    const bare = README.split("\n").filter((line) => /(^|[^\w/@.-])bun (run|test|install|add|src\/)/.test(line.replace(/npx (-y )?bun(@[\d.]+)? /g, "")));
    expect(bare).toEqual([]);
  });

  test("quotes memory: wherever YAML sets it", () => {
    expect(README.match(/^\s*storage:\s*memory:/gm) ?? []).toEqual([]);
  });

  test("benchmark prose uses only figures that the generated tables contain", () => {
    const start = README.indexOf("## Benchmarks");
    const end = README.indexOf("\n## ", README.indexOf("## System benchmark"));
    const tables = generated("bench:store") + generated("bench:system");
    const prose = README.slice(start, end).replace(generated("bench:store"), "").replace(generated("bench:system"), "");
    const known = new Set(figures(tables));
    expect(figures(prose).filter((f) => !known.has(f))).toEqual([]);
  });
});
