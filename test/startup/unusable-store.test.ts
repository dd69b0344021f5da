/**
 * A store the backend cannot open ends `src/main.ts backend` at start-up with one line naming the
 * setting and the path, and a non-zero exit — not a stack trace. The paths are unusable even for
 * root (tests may run as root, where file permissions do not stop writes): a file under /proc, and
 * a database path below a regular file.
 */
import { expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(import.meta.dir, "..", "..");

function startBackend(storage: string): { status: number | null; stderr: string; stdout: string } {
  const r = spawnSync(process.execPath, ["src/main.ts", "backend"], {
    cwd: ROOT,
    env: { ...process.env, NETGUARD_STORAGE: storage, NETGUARD_BACKEND_ADDR: "127.0.0.1:0" },
    encoding: "utf8",
    timeout: 30_000,
  });
  return { status: r.status, stderr: r.stderr ?? "", stdout: r.stdout ?? "" };
}

function expectOneLineError(r: { status: number | null; stderr: string; stdout: string }, path: string): void {
  expect(r.status).not.toBe(0);
  expect(r.status).not.toBeNull(); // it exited by itself, it was not killed by the timeout
  const lines = r.stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toStartWith("config: storage (env NETGUARD_STORAGE): cannot open sqlite:");
  expect(lines[0]).toContain(path);
  expect(r.stderr).not.toContain("    at ");
  expect(r.stdout).not.toContain("listening");
}

test("a store under a read-only place (/proc) ends start-up with one line and a non-zero exit", () => {
  expectOneLineError(startBackend("sqlite:/proc/netguard-test.db"), "/proc/netguard-test.db");
}, 40_000);

test("a store path below a regular file ends start-up with one line and a non-zero exit", () => {
  const dir = mkdtempSync(join(tmpdir(), "netguard-unusable-"));
  try {
    const file = join(dir, "not-a-directory");
    writeFileSync(file, "x");
    expectOneLineError(startBackend(`sqlite:${file}/netguard.db`), `${file}/netguard.db`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 40_000);
