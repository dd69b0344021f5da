/**
 * `kubectl apply --server-side` end to end with the real kubectl 1.32: the convergence Argo CD and
 * Flux rely on (a repeated apply is a no-op), conflicts between managers and `--force-conflicts`,
 * dropped fields, managedFields in `get --show-managed-fields`, and the move from client-side apply.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { startStack, type Stack } from "../helpers/stack-harness.ts";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

async function ok(args: string[]) {
  const r = await stack.kubectl(args);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")} failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** Writes an AddressGroup manifest to a file of its own and returns the path. */
function manifest(file: string, name: string, spec: string): string {
  const p = join(stack.dir, file);
  writeFileSync(p, `apiVersion: netguard.sgroups.io/v1beta1\nkind: AddressGroup\nmetadata: {name: ${name}, namespace: ssa-e2e}\nspec: {${spec}}\n`);
  return p;
}

const rvOf = (name: string) => ok(["get", "ag", name, "-n", "ssa-e2e", "-o", "jsonpath={.metadata.resourceVersion}"]);

describe("kubectl apply --server-side", () => {
  test("applying the same file twice changes nothing: same resourceVersion", async () => {
    const file = manifest("twice.yaml", "ssa-twice", "defaultAction: DROP, logs: true");
    expect(await ok(["apply", "--server-side", "-f", file])).toContain("serverside-applied");
    const rv = await rvOf("ssa-twice");
    // managedFields times have one-second resolution: let the clock move so a needless time bump would show
    await new Promise((r) => setTimeout(r, 1100));
    expect(await ok(["apply", "--server-side", "-f", file])).toContain("serverside-applied");
    expect(await rvOf("ssa-twice")).toBe(rv);
  });

  test("another manager's change conflicts; --force-conflicts takes the field; managedFields show it", async () => {
    await ok(["apply", "--server-side", "-f", manifest("owner.yaml", "ssa-conflict", "defaultAction: DROP, logs: true")]);
    const theirs = manifest("theirs.yaml", "ssa-conflict", "logs: false");
    const refused = await stack.kubectl(["apply", "--server-side", "--field-manager=flux", "-f", theirs]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('Apply failed with 1 conflict: conflict with "kubectl": .spec.logs');
    expect(refused.stderr).toContain("--force-conflicts");

    expect(await ok(["apply", "--server-side", "--field-manager=flux", "--force-conflicts", "-f", theirs])).toContain("serverside-applied");
    const obj = parse(await ok(["get", "ag", "ssa-conflict", "-n", "ssa-e2e", "-o", "yaml", "--show-managed-fields"]));
    expect(obj.spec).toEqual({ defaultAction: "DROP", logs: false });
    const byManager = Object.fromEntries(obj.metadata.managedFields.map((e: { manager: string }) => [e.manager, e]));
    expect(byManager.flux).toMatchObject({ operation: "Apply", fieldsType: "FieldsV1", fieldsV1: { "f:spec": { "f:logs": {} } } });
    expect(byManager.kubectl).toMatchObject({ operation: "Apply", fieldsV1: { "f:spec": { "f:defaultAction": {} } } });
    // without the flag, managedFields stay out of the output, as kubectl does against Kubernetes
    expect(await ok(["get", "ag", "ssa-conflict", "-n", "ssa-e2e", "-o", "yaml"])).not.toContain("managedFields");
  });

  test("a field removed from the file is removed from the object", async () => {
    await ok(["apply", "--server-side", "-f", manifest("full.yaml", "ssa-drop", "defaultAction: DROP, logs: true, trace: true")]);
    await ok(["apply", "--server-side", "-f", manifest("less.yaml", "ssa-drop", "defaultAction: DROP, trace: true")]);
    const spec = JSON.parse(await ok(["get", "ag", "ssa-drop", "-n", "ssa-e2e", "-o", "jsonpath={.spec}"]));
    expect(spec).toEqual({ defaultAction: "DROP", trace: true });
  });

  test("an object made by client-side apply moves to server-side apply without a conflict", async () => {
    await ok(["apply", "-f", manifest("csa.yaml", "ssa-migrate", "defaultAction: DROP, logs: true")]);
    const r = await stack.kubectl(["apply", "--server-side", "-f", manifest("csa-changed.yaml", "ssa-migrate", "defaultAction: DROP, logs: false")]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const obj = parse(await ok(["get", "ag", "ssa-migrate", "-n", "ssa-e2e", "-o", "yaml", "--show-managed-fields"]));
    expect(obj.spec.logs).toBe(false);
    const kubectlApply = obj.metadata.managedFields.find((e: { manager: string; operation: string }) => e.manager === "kubectl" && e.operation === "Apply");
    expect(kubectlApply.fieldsV1["f:spec"]).toEqual({ "f:defaultAction": {}, "f:logs": {} });
    // kubectl moved client-side apply's ownership into its Apply entry (a JSON patch of managedFields)
    expect(obj.metadata.managedFields.map((e: { manager: string }) => e.manager)).not.toContain("kubectl-client-side-apply");
    // client-side apply still works afterwards: the annotation followed the server-side apply
    expect(await ok(["apply", "-f", manifest("csa-again.yaml", "ssa-migrate", "defaultAction: ACCEPT, logs: false")])).toContain("configured");
    expect(await ok(["get", "ag", "ssa-migrate", "-n", "ssa-e2e", "-o", "jsonpath={.spec.defaultAction}"])).toBe("ACCEPT");
  });
});
