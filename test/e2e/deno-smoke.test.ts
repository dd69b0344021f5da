/**
 * The product under Deno (the version pinned in package.json), end to end: all-in-one started
 * with `deno run -A src/main.ts` on a SQLite store (node:sqlite, node:http2, Deno.serve), kubectl
 * apply and `get -w`, buf curl on a Watch RPC, then SIGINT with the watches still open must end
 * the process with exit 0 — Deno 2.9.6 used to die with a segmentation fault there — and without
 * Deno.serve's legacy-abort warning.
 */
import { afterAll, expect, test } from "bun:test";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { denoVersions, startDenoMain, type DenoMain } from "../helpers/deno-main.ts";
import { FIXTURE_DIR } from "../helpers/fixtures.ts";

const ROOT = join(import.meta.dir, "..", "..");
/** The real Go binary (the npm wrapper does not forward signals, runtime-facts.md §8.6). */
const BUF = join(ROOT, "node_modules", "@bufbuild", `buf-${process.platform}-${process.arch}`, "bin", "buf");

const dir = mkdtempSync(join(tmpdir(), "netguard-deno-"));
const kills: (() => void)[] = [];
let deno: DenoMain | undefined;
afterAll(() => {
  for (const k of kills) k();
  deno?.kill();
  rmSync(dir, { recursive: true, force: true });
});

/** A child whose output is collected, with a way to wait for a pattern in it. */
function collect(cmd: string, args: string[], env: Record<string, string>, input?: string) {
  const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (err += d));
  child.stdin.end(input ?? "");
  const exit = new Promise<number>((r) => child.on("close", (code) => r(code ?? -1)));
  kills.push(() => child.kill("SIGKILL"));
  return {
    exit,
    get out() {
      return out;
    },
    async waitFor(re: RegExp, what: string, timeoutMs = 15_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (!re.test(out)) {
        if (Date.now() > deadline) throw new Error(`${what}: no ${re} in time\nstdout:\n${out}\nstderr:\n${err}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async ok(what: string): Promise<string> {
      const code = await exit;
      if (code !== 0) throw new Error(`${what} failed (${code}):\n${out}\n${err}`);
      return out;
    },
    kill: () => child.kill("SIGKILL"),
  };
}

function service(name: string): string {
  return `apiVersion: netguard.sgroups.io/v1beta1\nkind: Service\nmetadata: {name: ${name}, namespace: shop}\nspec:\n  ingressPorts: [{protocol: TCP, port: "8443"}]\n`;
}

test("Deno all-in-one: kubectl apply, get -w, buf curl Watch, SIGINT exits 0", async () => {
  const { pinned, actual } = denoVersions();
  expect(actual).toBe(pinned);

  deno = await startDenoMain({ NETGUARD_STORAGE: `sqlite:${join(dir, "netguard.db")}` });
  const kubeconfig = join(dir, "kubeconfig");
  writeFileSync(
    kubeconfig,
    `apiVersion: v1\nkind: Config\nclusters:\n- name: netguard\n  cluster: {server: "${deno.apiUrl}"}\n` +
      `contexts:\n- name: netguard\n  context: {cluster: netguard, user: netguard, namespace: shop}\n` +
      `current-context: netguard\nusers:\n- name: netguard\n  user: {}\n`,
  );
  const kenv = { KUBECONFIG: kubeconfig, HOME: dir };
  const kubectl = (args: string[], input?: string) => collect("kubectl", ["--cache-dir", join(dir, "cache"), ...args], kenv, input);

  expect(await kubectl(["apply", "-f", join(FIXTURE_DIR, "01-base.yaml")]).ok("kubectl apply")).toContain("service.netguard.sgroups.io/frontend created");

  const watch = kubectl(["get", "ngsvc", "-w", "--output-watch-events"]);
  await watch.waitFor(/ADDED\s+frontend/, "kubectl get -w (initial rows)");
  await kubectl(["apply", "-f", "-"], service("deno-smoke-kubectl")).ok("kubectl apply (live)");
  await watch.waitFor(/ADDED\s+deno-smoke-kubectl/, "kubectl get -w (live event)");

  const bufArgs = ["curl", "--schema", join(ROOT, "proto"), "--emit-defaults", "--protocol", "grpc", "--http2-prior-knowledge", "-d", "{}"];
  const buf = collect(BUF, [...bufArgs, `${deno.backendUrl}/netguard.v1.NetguardService/WatchServices`], {});
  await buf.waitFor(/"initialEventsEnd": true/, "buf curl WatchServices (initial events)");
  await kubectl(["apply", "-f", "-"], service("deno-smoke-buf")).ok("kubectl apply (for buf curl)");
  await buf.waitFor(/"name": "deno-smoke-buf"/, "buf curl WatchServices (live event)");
  buf.kill();

  // SIGINT while kubectl still watches: the API server's backend stream is open at that moment.
  const exit = await deno.interrupt();
  expect({ ...exit, output: deno.output }).toMatchObject({ code: 0, signal: null, timedOut: false });
  expect(deno.output).toContain("SIGINT: shutting down");
  expect(deno.output).not.toContain("legacy behavior");
  watch.kill();
}, 60_000);
