/**
 * The wire pieces both sides of the Connect API need are defined once, in src/wire/: the protobuf
 * registry of netguard's files, packing of the `Resource` oneof and `Preconditions`. The backend and
 * the API server never import each other, so a second copy would drift unseen; this scan names the
 * file:line of any definition outside src/wire/.
 */
import { expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

const ROOT = join(import.meta.dir, "..", "..");

/** A definition of a shared wire piece (not a use of it). */
const DEFINITIONS: Record<string, RegExp> = {
  "protobuf registry": /createRegistry\(\s*file_netguard/,
  "Resource oneof packing": /create\(\s*ResourceSchema\b/,
  Preconditions: /\b(interface|type)\s+Preconditions\b\s*[={]/,
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = join(dir, e.name);
    if (e.isDirectory()) return e.name === "gen" ? [] : sources(full);
    return e.name.endsWith(".ts") ? [full] : [];
  });
}

test("the registry, Resource packing and Preconditions are defined only in src/wire/", () => {
  const found: Record<string, string[]> = {};
  for (const f of sources(join(ROOT, "src"))) {
    const path = relative(ROOT, f);
    readFileSync(f, "utf8")
      .split("\n")
      .forEach((line, i) => {
        for (const [piece, re] of Object.entries(DEFINITIONS)) if (re.test(line)) (found[piece] ??= []).push(`${path}:${i + 1}`);
      });
  }
  for (const piece of Object.keys(DEFINITIONS)) {
    expect({ piece, at: found[piece] ?? [] }).toEqual({ piece, at: [expect.stringMatching(/^src\/wire\//)] as never });
  }
});
