/**
 * Comments in src/ cite only what a reader of this repository can open: no design notes kept
 * elsewhere (domain-reference, kubectl-contract, runtime-facts, DESIGN.md, "the seed") and no
 * section signs pointing into them. A fact such a note held is stated in the comment itself, or the
 * comment names a file of the repository.
 */
import { expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

const ROOT = join(import.meta.dir, "..", "..");
const OUTSIDE = /domain-reference|kubectl-contract|runtime-facts|DESIGN\.md|\bthe seed\b|\bseed's\b|§/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = join(dir, e.name);
    if (e.isDirectory()) return e.name === "gen" ? [] : sources(full);
    return e.name.endsWith(".ts") ? [full] : [];
  });
}

test("no source file cites a document that is not in the repository", () => {
  const hits = sources(join(ROOT, "src")).flatMap((f) =>
    readFileSync(f, "utf8")
      .split("\n")
      .flatMap((line, i) => (OUTSIDE.test(line) ? [`${relative(ROOT, f)}:${i + 1}: ${line.trim()}`] : [])),
  );
  expect(hits).toEqual([]);
});
