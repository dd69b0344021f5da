/** Temporary directories for SQLite files, removed by the test that made them. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export function makeTempDir(): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), "netguard-store-"));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
