/**
 * External programs some tests run (Debian's promtool, kubectl 1.20 and the Python Kubernetes
 * client), fetched on first use so
 * that `bun test` passes on a machine where nobody ran the fetch scripts. Each tool is extracted
 * from its Debian package by scripts/fetch-<tool>.sh into .tmp/ (cached there; the scripts are
 * idempotent and lock against a concurrent run). A failed fetch throws with the script's output, so
 * the tests that need the tool fail and say why instead of being skipped.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(import.meta.dir, "..", "..");

/** The fetched tools, with the script that fetches each and where it puts the binary. */
export const TEST_TOOLS = {
  promtool: { script: "scripts/fetch-promtool.sh", path: join(ROOT, ".tmp", "prometheus", "usr", "bin", "promtool") },
  "kubectl-1.20": { script: "scripts/fetch-kubectl-1.20.sh", path: join(ROOT, ".tmp", "kubectl-1.20", "usr", "bin", "kubectl") },
  /** The official Python client's package folder; run /usr/bin/python3 with PYTHONPATH at its parent. */
  "python-kubernetes": {
    script: "scripts/fetch-python-kubernetes.sh",
    path: join(ROOT, ".tmp", "python-kubernetes", "usr", "lib", "python3", "dist-packages", "kubernetes"),
  },
} as const;

export type TestTool = keyof typeof TEST_TOOLS;

/**
 * Timeout for a `beforeAll` that calls ensureTestTool: a first fetch may need `apt-get update`
 * plus a download, far longer than one test's budget.
 */
export const TOOL_FETCH_TIMEOUT_MS = 600_000;

/** Returns the tool's path, running its fetch script first when it is not there yet. */
export function ensureTestTool(tool: TestTool): string {
  const { script, path } = TEST_TOOLS[tool];
  if (existsSync(path)) return path;
  const r = spawnSync("bash", [join(ROOT, script)], { cwd: ROOT, encoding: "utf8", timeout: TOOL_FETCH_TIMEOUT_MS - 10_000 });
  if (r.status === 0 && existsSync(path)) return path;
  const why = r.error ? r.error.message : `exit ${r.status ?? r.signal}`;
  throw new Error(
    `${tool} is needed by this test and could not be fetched: \`bash ${script}\` failed (${why}).\n` +
      `It extracts a Debian package with apt-get download and dpkg-deb; run it by hand to see the problem.\n${r.stdout ?? ""}${r.stderr ?? ""}`,
  );
}
