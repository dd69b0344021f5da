// The allocator settings (src/runtime/allocator-env.ts) reach the processes they are for: the image
// sets each of them, and the benchmark's launcher starts its children with them, so what the
// benchmark measures is what ships.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { launch } from "../../bench/system/launcher.ts";
import { ALLOCATOR_ENV } from "../../src/runtime/allocator-env.ts";

const ROOT = join(import.meta.dir, "..", "..");

/** `KEY=value` pairs of the Dockerfile's ENV instructions (the final stage's and any other). */
function dockerfileEnv(): Record<string, string> {
  const text = readFileSync(join(ROOT, "Dockerfile"), "utf8").replace(/\\\n/g, " ");
  const env: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const m = /^ENV\s+(.*)$/.exec(line.trim());
    if (!m) continue;
    for (const pair of m[1]!.trim().split(/\s+/)) {
      const eq = pair.indexOf("=");
      if (eq > 0) env[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
  }
  return env;
}

describe("allocator settings", () => {
  test("the image sets every allocator setting with the same value", () => {
    const env = dockerfileEnv();
    expect(Object.keys(ALLOCATOR_ENV).length).toBeGreaterThan(0);
    for (const [k, v] of Object.entries(ALLOCATOR_ENV)) expect(env[k]).toBe(v);
  });

  test("the benchmark's children start with them unless the caller overrides one", async () => {
    const key = Object.keys(ALLOCATOR_ENV)[0]!;
    const saved = process.env[key];
    delete process.env[key];
    const script = `console.log("env=" + JSON.stringify(process.env[${JSON.stringify(key)}] ?? null)); setInterval(() => {}, 1000)`;
    try {
      const child = await launch({ name: "env probe", args: ["-e", script], ready: /env=/ });
      await child.stop();
      expect(child.tail()).toContain(`env=${JSON.stringify(ALLOCATOR_ENV[key])}`);
      process.env[key] = "10";
      const overridden = await launch({ name: "env probe", args: ["-e", script], ready: /env=/ });
      await overridden.stop();
      expect(overridden.tail()).toContain('env="10"');
    } finally {
      if (saved === undefined) delete process.env[key];
      else process.env[key] = saved;
    }
  });
});
