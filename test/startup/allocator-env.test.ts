// The backend's allocator settings (src/runtime/allocator-env.ts) reach the backend wherever it is
// started for real: its StatefulSet sets each of them, and the benchmark starts its backend with
// them, so what the benchmark measures is what is deployed.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { startBackendProc } from "../../bench/system/stack.ts";
import { BACKEND_ALLOCATOR_ENV } from "../../src/runtime/allocator-env.ts";

const ROOT = join(import.meta.dir, "..", "..");

interface Container {
  name: string;
  env?: { name: string; value?: string }[];
}

function containersOf(file: string): Container[] {
  const docs = parseAllDocuments(readFileSync(join(ROOT, file), "utf8")).map((d) => d.toJS());
  return docs.flatMap((d) => (d?.spec?.template?.spec?.containers ?? []) as Container[]);
}

const envOf = (c: Container) => Object.fromEntries((c.env ?? []).map((e) => [e.name, e.value]));

describe("backend allocator settings", () => {
  test("the backend StatefulSet sets every one of them with the same value", () => {
    const [backend] = containersOf("deploy/base/backend-statefulset.yaml").filter((c) => c.name === "backend");
    expect(backend).toBeDefined();
    expect(Object.keys(BACKEND_ALLOCATOR_ENV).length).toBeGreaterThan(0);
    const env = envOf(backend!);
    for (const [k, v] of Object.entries(BACKEND_ALLOCATOR_ENV)) expect(env[k]).toBe(v);
  });

  test("the API server keeps the allocator's default (its memory is idle watchers)", () => {
    for (const c of containersOf("deploy/base/apiserver-deployment.yaml")) {
      for (const k of Object.keys(BACKEND_ALLOCATOR_ENV)) expect(envOf(c)[k]).toBeUndefined();
    }
  });

  test("the benchmark's backend process runs with them", async () => {
    const backend = await startBackendProc("memory:");
    try {
      const environ = readFileSync(`/proc/${backend.child.pid}/environ`, "utf8").split("\0");
      for (const [k, v] of Object.entries(BACKEND_ALLOCATOR_ENV)) expect(environ).toContain(`${k}=${v}`);
    } finally {
      await backend.child.stop();
    }
  });
});
