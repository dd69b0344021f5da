/**
 * Kinds are data: a kind is named by string only inside its own folder (`src/kinds/<kind>/`, the
 * folders holding a `descriptor.ts`) and in generated code. Everywhere else code names a kind
 * through a descriptor or a `kind-name.ts` constant, so generic code cannot switch on a kind name
 * and adding a kind touches only its folder, the table entry and the proto (src/kinds/README.md).
 * Likewise only kind folders and the kind table import a kind folder: generic code sees kinds as
 * descriptors from the table.
 * The scan parses each file with the TypeScript compiler, so comments never count.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { KINDS } from "../../src/kinds/kind-table.ts";

const ROOT = join(import.meta.dir, "..", "..");
const SRC = join(ROOT, "src");
const KIND_NAMES = new Set(KINDS.map((k) => k.kind));

/** src/kinds/<folder>/ folders with a descriptor: the only places a kind's name is spelled. */
const KIND_FOLDERS = readdirSync(join(SRC, "kinds"), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(SRC, "kinds", d.name, "descriptor.ts")))
  .map((d) => `src/kinds/${d.name}/`);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(p);
    return d.name.endsWith(".ts") ? [p] : [];
  });
}

/** "path:line: literal" for every string literal in `file` that is exactly a kind name. */
function kindLiterals(file: string, text: string): string[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const visit = (n: ts.Node) => {
    if ((ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) && KIND_NAMES.has(n.text)) {
      const line = sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
      out.push(`${file}:${line}: ${n.getText(sf)}`);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/** "path:line: specifier" for every import of `file` that resolves into a kind folder. */
function kindFolderImports(file: string, text: string): string[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  for (const st of sf.statements) {
    if (!(ts.isImportDeclaration(st) || ts.isExportDeclaration(st)) || !st.moduleSpecifier || !ts.isStringLiteral(st.moduleSpecifier)) continue;
    const spec = st.moduleSpecifier.text;
    if (!spec.startsWith(".")) continue;
    const target = relative(ROOT, resolve(ROOT, dirname(file), spec));
    if (KIND_FOLDERS.some((f) => target.startsWith(f))) out.push(`${file}:${sf.getLineAndCharacterOfPosition(st.getStart(sf)).line + 1}: ${spec}`);
  }
  return out;
}

describe("kind names", () => {
  test("every kind has its folder with a descriptor", () => {
    expect(KIND_FOLDERS.length).toBeGreaterThanOrEqual(KINDS.length);
  });

  test("no kind-name string literal outside src/kinds/<kind>/ folders and src/gen (file:line listed)", () => {
    const found: string[] = [];
    for (const abs of sourceFiles(SRC)) {
      const file = relative(ROOT, abs);
      if (file.startsWith("src/gen/") || KIND_FOLDERS.some((f) => file.startsWith(f))) continue;
      found.push(...kindLiterals(file, readFileSync(abs, "utf8")));
    }
    expect(found).toEqual([]);
  });

  test("generic code reaches a kind only through the kind table: no import of a kind folder outside kind folders and kind-table.ts", () => {
    const found: string[] = [];
    for (const abs of sourceFiles(SRC)) {
      const file = relative(ROOT, abs);
      if (file === "src/kinds/kind-table.ts" || KIND_FOLDERS.some((f) => file.startsWith(f))) continue;
      found.push(...kindFolderImports(file, readFileSync(abs, "utf8")));
    }
    expect(found).toEqual([]);
  });

  test("the scan finds a literal in code and ignores comments", () => {
    const kind = KINDS[0]!.kind;
    expect(kindLiterals("x.ts", `// "${kind}"\nconst k = "${kind}";`)).toEqual([`x.ts:2: "${kind}"`]);
  });
});
