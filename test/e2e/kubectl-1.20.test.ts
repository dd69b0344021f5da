/**
 * The old client: kubectl 1.20 (Debian's kubernetes-client, fetched on first use by
 * scripts/fetch-kubectl-1.20.sh) has no aggregated discovery, only OpenAPI v2 (protobuf) for
 * validation, and no fieldValidation — it must still work without flags.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { FIXTURE_DIR, FIXTURE_FILES } from "../helpers/fixtures.ts";
import { startStack, type Stack } from "../helpers/stack-harness.ts";
import { ensureTestTool, TOOL_FETCH_TIMEOUT_MS } from "../helpers/test-tools.ts";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ kubectlBin: ensureTestTool("kubectl-1.20") });
  // Every test reads the fixtures: applied here, not by whichever test happens to run first.
  for (const f of FIXTURE_FILES) await ok(["apply", "-f", join(FIXTURE_DIR, f)]);
}, TOOL_FETCH_TIMEOUT_MS);
afterAll(async () => {
  await stack?.close();
});

async function ok(args: string[], input?: string): Promise<string> {
  const r = await stack.kubectl(args, { input });
  if (r.code !== 0) throw new Error(`kubectl 1.20 ${args.join(" ")} failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

describe("kubectl 1.20", () => {
  test("is the old client", async () => {
    expect(await ok(["version", "--client", "--short"])).toContain("v1.20");
  });

  test("applies the fixtures with client-side validation on (OpenAPI v2 protobuf)", async () => {
    for (const f of FIXTURE_FILES) {
      for (const line of (await ok(["apply", "--validate=true", "-f", join(FIXTURE_DIR, f)])).trim().split("\n")) {
        expect(line).toMatch(/ (created|configured|unchanged)$/);
      }
    }
  });

  test("lists with the server's columns, through short names and the category", async () => {
    expect(await ok(["get", "ngsvc"])).toMatch(/frontend\s+TCP\/80,TCP\/443/);
    expect(await ok(["get", "netguard", "-A", "-o", "name"])).toContain("addressgroupbinding.netguard.sgroups.io/billing-to-shared-db");
  });

  test("get -w prints live changes", async () => {
    const w = stack.kubectlBackground(["get", "ag", "-w"]);
    await w.waitFor((o) => /ag-frontend\s+ACCEPT/.test(o));
    await ok(["patch", "ag", "ag-backend", "--type", "merge", "-p", '{"spec":{"logs":true}}']);
    await w.waitFor((o) => /ag-backend\s+DROP\s+true/.test(o));
    await w.stop();
  });

  test("invalid input prints the field causes; delete works", async () => {
    const r = await stack.kubectl(["apply", "-f", "-"], {
      input: "apiVersion: netguard.sgroups.io/v1beta1\nkind: Service\nmetadata: {name: bad-120, namespace: shop}\nspec:\n  ingressPorts: [{protocol: TCP, port: \"99999\"}, {protocol: UDP, port: \"x\"}]\n",
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('The Service "bad-120" is invalid');
    expect(r.stderr).toMatch(/spec\.ingressPorts\[1\]\.port/);
    expect(await ok(["delete", "ieagagrule", "worker-ssh-block"])).toContain("deleted");
  });
});
