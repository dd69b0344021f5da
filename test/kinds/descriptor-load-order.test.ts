/**
 * A kind's descriptor can be the first module a program loads: nothing a descriptor imports (its
 * rules, derive hooks, the domain library) imports the kind table back, so no import cycle can
 * leave the table reading a descriptor that is not initialised yet (src/domain/state-lookup.ts
 * takes the table's refs through `useKindRefs` for that reason). Each load runs in a fresh process.
 */
import { expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(import.meta.dir, "..", "..");
const DESCRIPTORS = readdirSync(join(ROOT, "src", "kinds"), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(ROOT, "src", "kinds", d.name, "descriptor.ts")))
  .map((d) => `./src/kinds/${d.name}/descriptor.ts`);

test("each kind's descriptor loads first, then the table lists it with its references", () => {
  const script = (path: string) =>
    `const m = await import(${JSON.stringify(path)}); const k = Object.values(m)[0];` +
    `const t = await import("./src/kinds/kind-table.ts");` +
    `if (!t.KINDS.includes(k)) throw new Error("not in the table");` +
    `if (t.kindByName(k.kind) !== k) throw new Error("lookup differs");`;
  const failures: string[] = [];
  for (const path of DESCRIPTORS) {
    const r = spawnSync(process.execPath, ["-e", script(path)], { cwd: ROOT, encoding: "utf8", timeout: 30_000 });
    if (r.status === 0) continue;
    const lines = (r.stderr || r.stdout).trim().split("\n");
    failures.push(`${path}: ${lines.find((l) => /Error/.test(l)) ?? lines.slice(-3).join(" | ")}`);
  }
  expect(DESCRIPTORS.length).toBeGreaterThan(0);
  expect(failures).toEqual([]);
});
