/**
 * End to end with the real kubectl against the real API server and backend: the commands operators
 * type, with the output they read.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { FIXTURE_DIR, FIXTURE_FILES } from "../helpers/fixtures.ts";
import { startStack, type Stack } from "../helpers/stack-harness.ts";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
  // Every test reads the fixtures: they are applied here, not by whichever test happens to run first.
  for (const f of FIXTURE_FILES) await ok(["apply", "-f", join(FIXTURE_DIR, f)]);
}, 120_000);
afterAll(async () => {
  await stack?.close();
});

async function ok(args: string[], input?: string) {
  const r = await stack.kubectl(args, { input });
  if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")} failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

describe("kubectl against netguard-watch", () => {
  test("applies the domain fixtures without --validate=false (kubectl validates them against our OpenAPI)", async () => {
    for (const f of FIXTURE_FILES) {
      const out = await ok(["apply", "--validate=strict", "-f", join(FIXTURE_DIR, f)]);
      for (const line of out.trim().split("\n")) expect(line).toMatch(/ (created|configured|unchanged)$/);
    }
  });

  test("lists every kind through the netguard category with upstream's columns", async () => {
    const out = await ok(["get", "netguard", "-A"]);
    for (const kind of ["service.netguard.sgroups.io/frontend", "addressgroup.netguard.sgroups.io/ag-frontend", "rules2s.netguard.sgroups.io/frontend-to-backend", "ieagagrule.netguard.sgroups.io/worker-ssh-block"]) {
      expect(out).toContain(kind);
    }
    const svc = await ok(["get", "services.netguard.sgroups.io"]);
    expect(svc).toMatch(/NAME\s+PORTS\s+STATUS\s+AGE/);
    expect(svc).toMatch(/frontend\s+TCP\/80,TCP\/443\s+Active\s+\d+s/);
    const ags = await ok(["get", "ag"]);
    expect(ags).toMatch(/NAME\s+DEFAULT ACTION\s+LOGS\s+TRACE\s+STATUS\s+AGE/);
    expect(ags).toMatch(/ag-frontend\s+ACCEPT\s+true\s+false/);
    const binds = await ok(["get", "addressgroupbindings", "-n", "payments"]);
    expect(binds).toMatch(/billing-to-shared-db\s+billing\s+ag-shared-db/);
  });

  test("selects by label with -l", async () => {
    const out = await ok(["get", "ngsvc", "-l", "tier=web", "-o", "name"]);
    expect(out.trim()).toBe("service.netguard.sgroups.io/frontend");
    const set = await ok(["get", "ngsvc", "-l", "tier in (web,api)", "-o", "name"]);
    expect(set.trim().split("\n").sort()).toEqual(["service.netguard.sgroups.io/backend", "service.netguard.sgroups.io/frontend"]);
  });

  test("get -w prints ADDED, MODIFIED and DELETED live for changes made by another client", async () => {
    const w = stack.kubectlBackground(["get", "ngsvc", "-w", "--output-watch-events"]);
    await w.waitFor((o) => /ADDED\s+frontend/.test(o));
    await ok(["apply", "-f", "-"], "apiVersion: netguard.sgroups.io/v1beta1\nkind: Service\nmetadata: {name: live, namespace: shop}\nspec:\n  ingressPorts: [{protocol: TCP, port: \"7777\"}]\n");
    await w.waitFor((o) => /ADDED\s+live\s+TCP\/7777/.test(o));
    await ok(["label", "ngsvc", "live", "stage=two"]);
    await w.waitFor((o) => /MODIFIED\s+live/.test(o));
    await ok(["delete", "ngsvc", "live"]);
    const out = await w.waitFor((o) => /DELETED\s+live/.test(o));
    expect(out.match(/ADDED\s+frontend/g)!.length).toBe(1);
    await w.stop();
  });

  test("get NAME -w follows one object", async () => {
    const w = stack.kubectlBackground(["get", "ngsvc", "backend", "-w"]);
    await w.waitFor((o) => /backend\s+TCP\/8080-8081/.test(o));
    await ok(["annotate", "ngsvc", "backend", "note=watched"]);
    await ok(["patch", "ngsvc", "backend", "--type", "merge", "-p", '{"spec":{"description":"order API v2"}}']);
    await w.waitFor((o) => o.split("\n").filter((l) => /^backend\s/.test(l)).length >= 3);
    expect(w.stdout).not.toContain("frontend");
    await w.stop();
  });

  test("patches with merge and json patch", async () => {
    await ok(["patch", "ag", "ag-worker", "--type", "merge", "-p", '{"spec":{"logs":true}}']);
    await ok(["patch", "ag", "ag-worker", "--type", "json", "-p", '[{"op":"replace","path":"/spec/defaultAction","value":"DROP"}]']);
    const out = await ok(["get", "ag", "ag-worker", "-o", "jsonpath={.spec.defaultAction},{.spec.logs}"]);
    expect(out).toBe("DROP,true");
    const smp = await stack.kubectl(["patch", "ag", "ag-worker", "-p", '{"spec":{"trace":true}}']);
    expect(smp.code).not.toBe(0);
    expect(smp.stderr).toContain("application/strategic-merge-patch+json is not supported");
  });

  test("replace with a stale resourceVersion is a Conflict", async () => {
    const current = JSON.parse(await ok(["get", "ngsvc", "worker", "-o", "json"]));
    await ok(["label", "ngsvc", "worker", "bump=1"]);
    current.spec.description = "stale write";
    const file = join(stack.dir, "stale.json");
    writeFileSync(file, JSON.stringify(current));
    const r = await stack.kubectl(["replace", "-f", file]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("Error from server (Conflict)");
    expect(r.stderr).toContain("the object has been modified");
  });

  test("edit changes an object through $EDITOR", async () => {
    const editor = join(stack.dir, "editor.sh");
    writeFileSync(editor, "#!/bin/sh\nsed -i 's/description: order API.*/description: edited by kubectl edit/' \"$1\"\n", { mode: 0o755 });
    const r = await stack.kubectl(["edit", "ngsvc", "backend"], { env: { EDITOR: editor, KUBE_EDITOR: editor } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("edited");
    expect(await ok(["get", "ngsvc", "backend", "-o", "jsonpath={.spec.description}"])).toBe("edited by kubectl edit");
  });

  test("invalid input prints the field causes", async () => {
    const bad = "apiVersion: netguard.sgroups.io/v1beta1\nkind: RuleS2S\nmetadata: {name: bad-rule, namespace: shop}\nspec:\n  traffic: EGRESS\n  serviceLocalRef: {apiVersion: netguard.sgroups.io/v1beta1, kind: Service, name: frontend, namespace: shop}\n  serviceRef: {apiVersion: netguard.sgroups.io/v1beta1, kind: ServiceAlias, name: frontend-alias, namespace: shop}\n";
    const r = await stack.kubectl(["apply", "-f", "-"], { input: bad });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('The RuleS2S "bad-rule" is invalid');
    // one cause prints inline, several as "* field: message" bullets
    expect(r.stderr).toMatch(/spec\.serviceRef\.kind: .*Service/);
    const port = await stack.kubectl(["apply", "-f", "-"], {
      input: "apiVersion: netguard.sgroups.io/v1beta1\nkind: Service\nmetadata: {name: bad-port, namespace: shop}\nspec:\n  ingressPorts: [{protocol: TCP, port: \"99999\"}]\n",
    });
    expect(port.code).not.toBe(0);
    expect(port.stderr).toMatch(/spec\.ingressPorts\[0\]\.port: /);
    const two = await stack.kubectl(["apply", "-f", "-"], {
      input: "apiVersion: netguard.sgroups.io/v1beta1\nkind: Service\nmetadata: {name: bad-two, namespace: shop}\nspec:\n  ingressPorts: [{protocol: TCP, port: \"99999\"}, {protocol: UDP, port: \"x\"}]\n",
    });
    expect(two.stderr).toContain('The Service "bad-two" is invalid');
    expect(two.stderr).toMatch(/\* spec\.ingressPorts\[0\]\.port: /);
    expect(two.stderr).toMatch(/\* spec\.ingressPorts\[1\]\.port: /);
  });

  test("delete returns and the object is gone; an object still in use is left Terminating", async () => {
    // its own objects, in its own namespace: the other tests read the fixtures
    const ref = "{apiVersion: netguard.sgroups.io/v1beta1, kind: AddressGroup, name: del-used, namespace: kubectl-delete}";
    await ok(
      ["apply", "-f", "-"],
      [
        "apiVersion: netguard.sgroups.io/v1beta1\nkind: AddressGroup\nmetadata: {name: del-used, namespace: kubectl-delete}\nspec: {defaultAction: ACCEPT}",
        "apiVersion: netguard.sgroups.io/v1beta1\nkind: AddressGroup\nmetadata: {name: del-lone, namespace: kubectl-delete}\nspec: {defaultAction: DROP}",
        `apiVersion: netguard.sgroups.io/v1beta1\nkind: Service\nmetadata: {name: del-user, namespace: kubectl-delete}\nspec:\n  ingressPorts: [{protocol: TCP, port: "80"}]\n  addressGroups: [${ref}]`,
      ].join("\n---\n"),
    );
    expect(await ok(["-n", "kubectl-delete", "delete", "ag", "del-used", "--wait=false"])).toContain("deleted");
    expect(await ok(["-n", "kubectl-delete", "get", "ag", "del-used"])).toMatch(/del-used\s+ACCEPT\s+\S+\s+\S+\s+Terminating/);
    await ok(["-n", "kubectl-delete", "delete", "ag", "del-lone"]);
    const gone = await stack.kubectl(["-n", "kubectl-delete", "get", "ag", "del-lone"]);
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toContain("NotFound");
  });

  test("explain shows the schema", async () => {
    const out = await ok(["explain", "ngsvc.spec"]);
    expect(out).toContain("ingressPorts");
  });
});
