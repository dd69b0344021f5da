/**
 * Mutation runner: `npx bun run mutate [id...]`.
 *
 * Reads one-line mutations from test/mutations/mutations.json (file, the exact original snippet,
 * its replacement, the test files that must catch it), copies the repository into a scratch
 * directory (never touching the working tree), and for each mutation: applies it there, runs its
 * tests with a timeout, restores the file. A mutation is "killed" when its tests fail (or time
 * out), "survived" when they pass. The unmutated tests run first: a mutation only counts against
 * tests that pass without it. Prints one line per mutation, the score, and a JSON line last.
 * Not part of CI's default run.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** One mutation as listed in test/mutations/mutations.json. */
interface Mutation {
  id: string;
  guarantee: string;
  file: string;
  original: string;
  replacement: string;
  tests: string[];
}

type Outcome = "killed" | "survived" | "invalid";

const ROOT = join(import.meta.dir, "..");
const TIMEOUT_MS = Number(process.env.MUTATE_TIMEOUT_MS ?? 240_000);
const COPIED = ["src", "test", "bench", "bunfig.toml", "package.json", "tsconfig.json", "proto", "deploy"];

/** Runs `bun test` on `files` inside `dir`; true when every test passed within the timeout. */
async function testsPass(dir: string, files: string[]): Promise<{ pass: boolean; tail: string }> {
  const proc = Bun.spawn([process.execPath, "test", "--timeout", "60000", ...files], {
    cwd: dir,
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, CI: "" },
  });
  const timer = setTimeout(() => proc.kill(), TIMEOUT_MS);
  const [out, err] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
  const code = await proc.exited;
  clearTimeout(timer);
  const tail = (out + err).split("\n").filter((l) => /\(fail\)|^\s*\d+ (pass|fail)/.test(l)).slice(-6).join("\n");
  return { pass: code === 0, tail };
}

async function main(): Promise<void> {
  const list: Mutation[] = JSON.parse(readFileSync(join(ROOT, "test/mutations/mutations.json"), "utf8"));
  const only = process.argv.slice(2);
  const selected = only.length ? list.filter((m) => only.includes(m.id)) : list;
  const scratch = mkdtempSync(join(tmpdir(), "netguard-mutate-"));
  try {
    for (const p of COPIED) cpSync(join(ROOT, p), join(scratch, p), { recursive: true });
    symlinkSync(join(ROOT, "node_modules"), join(scratch, "node_modules"));

    const baseline = [...new Set(selected.flatMap((m) => m.tests))];
    const base = await testsPass(scratch, baseline);
    if (!base.pass) {
      console.error(`baseline: the unmutated tests fail; fix them first\n${base.tail}`);
      process.exit(2);
    }
    const results: { id: string; outcome: Outcome; ms: number }[] = [];
    for (const m of selected) {
      const path = join(scratch, m.file);
      const text = readFileSync(path, "utf8");
      const at = text.indexOf(m.original);
      let outcome: Outcome = "invalid";
      const t0 = Date.now();
      if (at >= 0 && text.indexOf(m.original, at + 1) < 0) {
        writeFileSync(path, text.slice(0, at) + m.replacement + text.slice(at + m.original.length));
        try {
          outcome = (await testsPass(scratch, m.tests)).pass ? "survived" : "killed";
        } finally {
          writeFileSync(path, text);
        }
      }
      const ms = Date.now() - t0;
      results.push({ id: m.id, outcome, ms });
      console.log(`${outcome.padEnd(8)} ${m.id} (${(ms / 1000).toFixed(1)} s): ${m.guarantee}`);
    }
    const valid = results.filter((r) => r.outcome !== "invalid");
    const killed = valid.filter((r) => r.outcome === "killed").length;
    const score = valid.length ? killed / valid.length : 0;
    console.log(`mutation score: ${killed}/${valid.length} killed (${(score * 100).toFixed(0)}%)`);
    console.log(JSON.stringify({ killed, survived: valid.length - killed, invalid: results.length - valid.length, total: results.length, score, results }));
    if (results.some((r) => r.outcome !== "killed")) process.exitCode = 1;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

await main();
