/**
 * The official Python Kubernetes client (Debian's python3-kubernetes, fetched on first use) against
 * the real API server: its watches send `watch=True`, which Kubernetes reads as true; a server that
 * only accepted "true" answered with a list and the client's watch ended at once with nothing.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { startStack, type Stack } from "../helpers/stack-harness.ts";
import { ensureTestTool, TOOL_FETCH_TIMEOUT_MS } from "../helpers/test-tools.ts";

let stack: Stack;
let sitePackages: string;
beforeAll(async () => {
  sitePackages = dirname(ensureTestTool("python-kubernetes"));
  stack = await startStack();
}, TOOL_FETCH_TIMEOUT_MS);
afterAll(async () => {
  await stack?.close();
});

/** Runs the script asynchronously: the API server under test lives in this process's event loop. */
function runPython(prefix: string): Promise<{ what: string; [k: string]: unknown }[]> {
  const script = join(import.meta.dir, "python", "watch-and-apply.py");
  const child = spawn("/usr/bin/python3", [script, stack.kubeconfig, "shop", prefix], {
    env: { ...process.env, PYTHONPATH: sitePackages, PYTHONDONTWRITEBYTECODE: "1" },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const killer = setTimeout(() => child.kill("SIGKILL"), 45_000);
  return new Promise((resolve, reject) => {
    child.on("close", (code, signal) => {
      clearTimeout(killer);
      if (code !== 0) return reject(new Error(`python client failed (${code ?? signal}):\n${stdout}\n${stderr}`));
      resolve(stdout.trim().split("\n").map((l) => JSON.parse(l)));
    });
  });
}

describe("the official Python client", () => {
  test("watches (CustomObjectsApi and DynamicClient), creates, reads Status errors and deletes", async () => {
    const out = await runPython("py");
    expect(out).toEqual([
      { what: "custom-watch", type: "ADDED", name: "py-a", spec: { defaultAction: "ACCEPT", logs: false, trace: false } },
      { what: "dynamic-watch", type: "ADDED", name: "py-b" },
      { what: "duplicate-create", status: 409, reason: "AlreadyExists" },
      { what: "done" },
    ]);
  }, 60_000);
});
