/**
 * Deleting with the real kubectl under in-use protection: `kubectl delete -f` of the fixture files
 * succeeds in file order and leaves nothing behind (derived objects included), `get -w` shows a
 * protected object MODIFIED (Terminating) and then DELETED, and kubectl's own wait for the
 * deletion returns once the object's last user is gone.
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { KINDS } from "../../src/kinds/kind-table.ts";
import { FIXTURE_DIR, FIXTURE_FILES } from "../helpers/fixtures.ts";
import { startStack, type Stack } from "../helpers/stack-harness.ts";

let stack: Stack;
beforeEach(async () => {
  stack = await startStack();
  for (const f of FIXTURE_FILES) await ok(["apply", "-f", join(FIXTURE_DIR, f)]);
}, 60_000);
afterEach(async () => {
  await stack?.close();
});

async function ok(args: string[]) {
  const r = await stack.kubectl(args);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")} failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

describe("kubectl delete with in-use protection", () => {
  test("kubectl delete -f of every fixture file, in file order, succeeds and leaves no object of any kind", async () => {
    for (const f of FIXTURE_FILES) {
      // objects still in use stay Terminating until a later file removes their users, so kubectl
      // must not wait for each file; objects that earlier cascades already took are not errors
      await ok(["delete", "-f", join(FIXTURE_DIR, f), "--wait=false", "--ignore-not-found"]);
    }
    for (const k of KINDS) {
      const left = await ok(["get", `${k.plural}.netguard.sgroups.io`, "-A", "-o", "name"]);
      expect({ kind: k.kind, left: left.trim() }).toEqual({ kind: k.kind, left: "" });
    }
  }, 60_000);

  test("get -w sees a protected AddressGroup MODIFIED as Terminating, then DELETED when its last user goes; kubectl's wait returns then", async () => {
    const w = stack.kubectlBackground(["get", "ag", "-w", "--output-watch-events"]);
    try {
      await w.waitFor((o) => /ADDED\s+ag-worker/.test(o));
      // ag-worker is used by the binding worker-in-ag-worker: kubectl waits for it to disappear
      const deleting = stack.kubectl(["delete", "ag", "ag-worker", "--timeout=60s"]);
      await w.waitFor((o) => /MODIFIED\s+ag-worker\s+ACCEPT\s+\S+\s+\S+\s+Terminating/.test(o));
      expect(await ok(["get", "ag", "ag-worker", "-o", "jsonpath={.metadata.finalizers}"])).toContain("netguard.sgroups.io/in-use-protection");
      await ok(["delete", "agb", "worker-in-ag-worker"]);
      const out = await w.waitFor((o) => /DELETED\s+ag-worker/.test(o));
      const lines = out.split("\n").filter((l) => /\sag-worker\s/.test(l)).map((l) => l.trim().split(/\s+/)[0]);
      expect(lines).toEqual(["ADDED", "MODIFIED", "DELETED"]);
      // kubectl exits only when its wait for the deletion is over
      const done = await deleting;
      expect(done.code).toBe(0);
      expect(done.stdout).toContain('addressgroup.netguard.sgroups.io "ag-worker" deleted');
      const gone = await stack.kubectl(["get", "ag", "ag-worker"]);
      expect(gone.stderr).toContain("NotFound");
    } finally {
      await w.stop();
    }
  }, 60_000);
});
