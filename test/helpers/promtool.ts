/** Runs Debian's promtool (fetched by scripts/fetch-promtool.sh) on a metrics exposition. */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

export const PROMTOOL = process.env.PROMTOOL ?? join(import.meta.dir, "..", "..", ".tmp", "prometheus", "usr", "bin", "promtool");

export function promtoolCheck(text: string): { code: number; output: string } {
  if (!existsSync(PROMTOOL)) throw new Error(`promtool not found at ${PROMTOOL}: run scripts/fetch-promtool.sh`);
  const r = spawnSync(PROMTOOL, ["check", "metrics"], { input: text, encoding: "utf8" });
  return { code: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
}

/** promtool's lint lines other than the allowed note on the seed's gauge name. */
export function unexpectedLint(output: string): string[] {
  return output
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("watch_streams_active_total"));
}
