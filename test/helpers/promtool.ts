/** Runs Debian's promtool (fetched on first use, see test-tools.ts) on a metrics exposition. */
import { spawnSync } from "node:child_process";
import { ensureTestTool } from "./test-tools.ts";

/**
 * The promtool to run: PROMTOOL from the environment, else Debian's, fetched when missing. Call it
 * in a `beforeAll` with TOOL_FETCH_TIMEOUT_MS, so a first fetch does not eat a test's time budget.
 */
export function ensurePromtool(): string {
  return process.env.PROMTOOL ?? ensureTestTool("promtool");
}

/** Checks an exposition with `promtool check metrics`. */
export function promtoolCheck(text: string): { code: number; output: string } {
  const r = spawnSync(ensurePromtool(), ["check", "metrics"], { input: text, encoding: "utf8" });
  return { code: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
}

/** promtool's lint lines other than the allowed note on the seed's gauge name. */
export function unexpectedLint(output: string): string[] {
  return output
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("watch_streams_active_total"));
}
