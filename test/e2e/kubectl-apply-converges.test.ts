/**
 * GitOps convergence with the real kubectl: once the fixtures are applied, applying them again
 * changes nothing and `kubectl diff` shows nothing. A value the server drops or rewrites (a `false`
 * that reads back as absent, say) would show as `configured` on every apply: permanent drift.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { FIXTURE_DIR, FIXTURE_FILES } from "../helpers/fixtures.ts";
import { startStack, type Stack } from "../helpers/stack-harness.ts";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
  for (const f of FIXTURE_FILES) {
    const r = await stack.kubectl(["apply", "-f", join(FIXTURE_DIR, f)]);
    if (r.code !== 0) throw new Error(`kubectl apply -f ${f} failed:\n${r.stdout}\n${r.stderr}`);
  }
});
afterAll(async () => {
  await stack?.close();
});

describe("kubectl apply converges", () => {
  test.each(FIXTURE_FILES)("a second client-side apply of %s reports every object unchanged", async (f) => {
    const r = await stack.kubectl(["apply", "-f", join(FIXTURE_DIR, f)]);
    expect(r.stderr).toBe("");
    const lines = r.stdout.trim().split("\n");
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/ unchanged$/);
  });

  test.each(FIXTURE_FILES)("kubectl diff of the applied %s is empty", async (f) => {
    const r = await stack.kubectl(["diff", "-f", join(FIXTURE_DIR, f)]);
    expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: 0, stdout: "", stderr: "" });
  });

  test("an explicit false, 0 and empty string survive apply and read back", async () => {
    const manifest = [
      "apiVersion: netguard.sgroups.io/v1beta1",
      "kind: IEAgAgRule",
      "metadata: {name: zero-values, namespace: shop}",
      "spec:",
      "  transport: TCP",
      "  traffic: INGRESS",
      "  addressGroupLocal: {apiVersion: netguard.sgroups.io/v1beta1, kind: AddressGroup, name: ag-frontend, namespace: shop}",
      "  addressGroup: {apiVersion: netguard.sgroups.io/v1beta1, kind: AddressGroup, name: ag-backend, namespace: shop}",
      "  ports: [{port: 22}]",
      "  action: DROP",
      "  logs: false",
      "  trace: false",
      "  priority: 0",
      '  description: ""',
      "",
    ].join("\n");
    const first = await stack.kubectl(["apply", "-f", "-"], { input: manifest });
    expect(first.stdout).toContain("created");
    const got = await stack.kubectl(["get", "ieagagrule", "zero-values", "-o", "jsonpath={.spec}"]);
    expect(JSON.parse(got.stdout)).toMatchObject({ logs: false, trace: false, priority: 0, description: "" });
    const again = await stack.kubectl(["apply", "-f", "-"], { input: manifest });
    expect(again.stdout.trim()).toBe("ieagagrule.netguard.sgroups.io/zero-values unchanged");
  });
});
