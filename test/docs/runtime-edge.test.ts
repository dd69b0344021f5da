/**
 * The runtime edge: only src/runtime/ (and generated code) may touch Bun, Deno or Node directly.
 * Every other file under src/ — the core — imports no `node:*` (or bare Node built-in), no `bun` /
 * `bun:*`, no `@connectrpc/connect-node`, and uses none of the runtime globals `Bun`, `Deno`,
 * `process`, `Buffer`, `require`, `__dirname`, `__filename`, `setImmediate`, `clearImmediate`. Core
 * code gets such things from src/runtime/ modules. The scan parses each file with the TypeScript
 * compiler, so comments and strings never count and a locally declared name is not a global.
 */
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, relative } from "node:path";
import ts from "typescript";

const ROOT = join(import.meta.dir, "..", "..");
const SRC = join(ROOT, "src");

/** Folders of src/ that are not core: the runtime adapters and generated protobuf code. */
const EDGE = ["runtime", "gen"];

/** Deliberate exceptions, "path:line" → why. Empty: every core file is runtime-neutral. */
const ALLOWED: Record<string, string> = {};

const RUNTIME_GLOBALS = new Set(["Bun", "Deno", "process", "Buffer", "require", "__dirname", "__filename", "setImmediate", "clearImmediate"]);
const NODE_BUILTINS = new Set(builtinModules.filter((m) => !m.startsWith("_")));

function forbiddenModule(spec: string): string | undefined {
  if (spec.startsWith("node:")) return "a node:* module";
  if (spec === "bun" || spec.startsWith("bun:")) return "a Bun module";
  if (spec === "@connectrpc/connect-node" || spec.startsWith("@connectrpc/connect-node/")) return "connect-node (Node transports and servers)";
  if (NODE_BUILTINS.has(spec.split("/")[0]!)) return "a Node built-in module";
  return undefined;
}

/** Names the file declares itself (parameters, variables, functions, imports): those shadow globals. */
function declaredNames(sf: ts.SourceFile): Set<string> {
  const out = new Set<string>();
  const visit = (n: ts.Node) => {
    const name = (n as { name?: ts.Node }).name;
    if (
      name &&
      ts.isIdentifier(name) &&
      (ts.isVariableDeclaration(n) ||
        ts.isParameter(n) ||
        ts.isFunctionDeclaration(n) ||
        ts.isClassDeclaration(n) ||
        ts.isImportSpecifier(n) ||
        ts.isImportClause(n) ||
        ts.isNamespaceImport(n) ||
        ts.isBindingElement(n))
    ) {
      out.add(name.text);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/** Whether `id` stands for a free variable (not a property name, member key or declaration). */
function isReference(id: ts.Identifier): boolean {
  const p = id.parent;
  if ((ts.isPropertyAccessExpression(p) || ts.isQualifiedName(p)) && (p as { name: ts.Node }).name === id) return false;
  if ((ts.isPropertyAssignment(p) || ts.isPropertySignature(p) || ts.isPropertyDeclaration(p) || ts.isMethodDeclaration(p) || ts.isMethodSignature(p)) && p.name === id) {
    return false;
  }
  if (ts.isEnumMember(p) || ts.isLabeledStatement(p)) return false;
  return true;
}

/** Every violation in one file, as "path:line: what". */
function scanCoreFile(path: string, text: string): string[] {
  const sf = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const shadowed = declaredNames(sf);
  const out: string[] = [];
  const report = (n: ts.Node, what: string) => out.push(`${path}:${sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1}: ${what}`);
  const visit = (n: ts.Node) => {
    let spec: ts.Node | undefined;
    if ((ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && n.moduleSpecifier) spec = n.moduleSpecifier;
    else if (ts.isImportEqualsDeclaration(n) && ts.isExternalModuleReference(n.moduleReference)) spec = n.moduleReference.expression;
    else if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword) spec = n.arguments[0];
    else if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument)) spec = n.argument.literal;
    if (spec && ts.isStringLiteralLike(spec)) {
      const why = forbiddenModule(spec.text);
      if (why) report(n, `imports "${spec.text}" (${why})`);
    }
    if (ts.isIdentifier(n) && RUNTIME_GLOBALS.has(n.text) && !shadowed.has(n.text) && isReference(n)) report(n, `uses the runtime global ${n.text}`);
    if (ts.isPropertyAccessExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === "globalThis" && RUNTIME_GLOBALS.has(n.name.text)) {
      report(n, `uses the runtime global globalThis.${n.name.text}`);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

function coreFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, e.name);
    if (e.isDirectory()) {
      if (dir === SRC && EDGE.includes(e.name)) continue;
      out.push(...coreFiles(full));
    } else if (e.name.endsWith(".ts")) out.push(full);
  }
  return out;
}

describe("runtime edge", () => {
  test("no core file under src/ imports a runtime module or uses a runtime global (only src/runtime/ may)", () => {
    const files = coreFiles(SRC);
    expect(files.length).toBeGreaterThan(100);
    const violations = files
      .flatMap((f) => scanCoreFile(relative(ROOT, f), readFileSync(f, "utf8")))
      .filter((v) => !(v.split(": ")[0]! in ALLOWED));
    expect(violations).toEqual([]);
  });

  test("the scan sees imports, re-exports, dynamic imports and globals, and ignores comments, strings, properties and shadowing", () => {
    const text = [
      'import { readFileSync } from "node:fs";',
      'import type { Server } from "http";',
      'export { serve } from "bun";',
      'import { Http2SessionManager } from "@connectrpc/connect-node";',
      'const m = await import("node:path");',
      "// process.exit(1) and Bun.serve in a comment",
      'const s = "Buffer.from in a string";',
      "const a = process.env.X;",
      "const b = Buffer.byteLength(s);",
      "const c = globalThis.Deno;",
      "const d = { process: 1 }.process;",
      "setImmediate(() => 0);",
    ].join("\n");
    expect(scanCoreFile("x.ts", text)).toEqual([
      'x.ts:1: imports "node:fs" (a node:* module)',
      'x.ts:2: imports "http" (a Node built-in module)',
      'x.ts:3: imports "bun" (a Bun module)',
      'x.ts:4: imports "@connectrpc/connect-node" (connect-node (Node transports and servers))',
      'x.ts:5: imports "node:path" (a node:* module)',
      "x.ts:8: uses the runtime global process",
      "x.ts:9: uses the runtime global Buffer",
      "x.ts:10: uses the runtime global globalThis.Deno",
      "x.ts:12: uses the runtime global setImmediate",
    ]);
    // A parameter named like a global is the file's own name, not the global.
    expect(scanCoreFile("y.ts", "export function f(process: number) { return process + 1; }")).toEqual([]);
  });
});
