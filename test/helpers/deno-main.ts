/**
 * Runs src/main.ts under Deno — the binary of the `deno` devDependency, so the version is the one
 * pinned in package.json — as a child process, the way a user runs it (`deno run -A src/main.ts`).
 * The real binary is spawned, not the npm wrapper script, because the wrapper does not pass signals
 * on and the tests send SIGINT.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(import.meta.dir, "..", "..");

/** The pinned Deno binary; throws with a hint when `bun install` has not put it there. */
export function denoBinary(): string {
  const libc = process.platform === "linux" ? "-glibc" : "";
  const candidates = [
    join(ROOT, "node_modules", "@deno", `${process.platform}-${process.arch}${libc}`, "deno"),
    join(ROOT, "node_modules", "deno", "deno"),
  ];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`no Deno binary in node_modules (looked at ${candidates.join(", ")}): run \`npx -y bun@1.4.4 install --frozen-lockfile\``);
  return found;
}

/** The Deno version package.json pins, and the one the binary reports. */
export function denoVersions(): { pinned: string; actual: string } {
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { devDependencies: Record<string, string> };
  const out = spawnSync(denoBinary(), ["--version"], { encoding: "utf8" }).stdout ?? "";
  return { pinned: pkg.devDependencies.deno ?? "", actual: /^deno (\S+)/.exec(out)?.[1] ?? out };
}

export interface DenoMain {
  readonly backendUrl: string;
  readonly apiUrl: string;
  /** Everything the process wrote so far, stdout and stderr interleaved. */
  readonly output: string;
  /** Sends SIGINT and waits for the exit; SIGKILL after `timeoutMs` (then `timedOut` is true). */
  interrupt(timeoutMs?: number): Promise<{ code: number | null; signal: string | null; timedOut: boolean }>;
  /** SIGKILL if still running (for afterAll). */
  kill(): void;
}

/** Starts all-in-one on free ports with `env` on top; resolves once both servers listen. */
export async function startDenoMain(env: Record<string, string>, startTimeoutMs = 30_000): Promise<DenoMain> {
  const child: ChildProcess = spawn(denoBinary(), ["run", "-A", "src/main.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      NETGUARD_BACKEND_ADDR: "127.0.0.1:0",
      NETGUARD_API_ADDR: "127.0.0.1:0",
      // Plain HTTP (its kubectl and buf curl steps use http://); TLS is covered by kubectl-tls.test.ts.
      NETGUARD_API_INSECURE: "true",
      DENO_NO_UPDATE_CHECK: "1",
      NO_COLOR: "1",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<{ code: number | null; signal: string | null }>((r) => child.on("exit", (code, signal) => r({ code, signal })));
  let exitedNow = false;
  void exited.then(() => (exitedNow = true));

  const deadline = Date.now() + startTimeoutMs;
  let backendUrl: string | undefined;
  let apiUrl: string | undefined;
  while (!backendUrl || !apiUrl) {
    if (exitedNow || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`Deno all-in-one did not start (${exitedNow ? "exited" : "timed out"}):\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
    backendUrl = /netguard backend listening on (http:\/\/\S+)/.exec(output)?.[1];
    apiUrl = /netguard API server listening on (http:\/\/\S+)/.exec(output)?.[1];
  }
  return {
    backendUrl,
    apiUrl,
    get output() {
      return output;
    },
    async interrupt(timeoutMs = 15_000) {
      child.kill("SIGINT");
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill("SIGKILL");
      }, timeoutMs);
      const r = await exited;
      clearTimeout(timer);
      return { ...r, timedOut };
    },
    kill() {
      if (!exitedNow) child.kill("SIGKILL");
    },
  };
}
