/**
 * Starts the real processes under test (backend, API servers) and the watch-client process.
 *
 * Each child runs in its own process group (`detached`), so stopping it kills everything it may
 * have started, and a Ctrl-C in the terminal reaches only the benchmark, which then stops the
 * children in order. The child is started through `sh -c 'ulimit -n <hard>; exec …'` so that
 * 10,000 watch sockets fit under its open-file limit (exec keeps the pid, so /proc stats and
 * signals address the real process). Output is kept (a bounded tail) to explain a crash.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { onCleanup } from "./cleanup.ts";
import { sampleProc, type ProcSample } from "./proc-stats.ts";

/** The repository root (children run from here, like `bun run src/main.ts`). */
export const REPO_ROOT = join(import.meta.dir, "..", "..");

const TAIL_CHARS = 16_000;

let profileDir: string | undefined;
let profiled = 0;

/**
 * Makes every child launched from now on write a Bun CPU profile (markdown, `--cpu-prof-md`) into
 * `dir` when it exits — to see where the time goes in the API server, the backend and the client.
 */
export function profileChildrenInto(dir: string): void {
  profileDir = dir;
}

export interface LaunchOptions {
  name: string;
  /** Arguments after the bun executable, e.g. ["src/main.ts", "backend"]. */
  args: string[];
  env?: Record<string, string>;
  /** Resolve once stdout (or stderr) matches this. */
  ready: RegExp;
  readyTimeoutMs?: number;
  /** Keep stdin open as a pipe (the watch-client process reads commands from it). */
  stdinPipe?: boolean;
  /** Called with stdout data instead of keeping it (protocol output of the client process). */
  onStdout?: (chunk: Buffer) => void;
}

export interface Child {
  readonly name: string;
  readonly pid: number;
  readonly process: ChildProcess;
  /** Exit code or signal once exited; undefined while running. */
  readonly exit: string | undefined;
  /** The last output of the child (stdout and stderr interleaved). */
  tail(): string;
  sample(): ProcSample | undefined;
  /** SIGTERM to the group, SIGKILL after graceMs; resolves when the child has exited. */
  stop(graceMs?: number): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (bound and released; the child binds it a moment later). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const addr = s.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

function killGroup(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pid, sig);
  } catch {
    // already gone
  }
}

/** Spawns `bun <args>` in a new process group and waits for its ready line. */
export async function launch(o: LaunchOptions): Promise<Child> {
  const prof = profileDir
    ? ["--cpu-prof-md", `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${String(++profiled).padStart(2, "0")}-${o.name.replace(/[^a-z0-9]+/gi, "-")}.md`]
    : [];
  const proc = spawn("sh", ["-c", 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$0" "$@"', process.execPath, ...prof, ...o.args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...o.env },
    detached: true,
    stdio: [o.stdinPipe ? "pipe" : "ignore", "pipe", "pipe"],
  });
  const pid = proc.pid;
  if (pid === undefined) throw new Error(`${o.name}: spawn failed`);
  let tail = "";
  let exit: string | undefined;
  const keep = (d: Buffer) => {
    tail += d.toString();
    if (tail.length > TAIL_CHARS) tail = tail.slice(-TAIL_CHARS);
  };
  let onReady: (() => void) | undefined;
  let seen = "";
  const watchReady = (d: Buffer) => {
    if (!onReady) return;
    seen = (seen + d.toString()).slice(-4000);
    if (o.ready.test(seen)) onReady();
  };
  proc.stdout!.on("data", (d: Buffer) => {
    watchReady(d);
    if (o.onStdout) o.onStdout(d);
    else keep(d);
  });
  proc.stderr!.on("data", (d: Buffer) => {
    watchReady(d);
    keep(d);
  });
  const exited = new Promise<void>((resolve) =>
    proc.once("exit", (code, signal) => {
      exit = signal ?? `code ${code}`;
      resolve();
    }),
  );
  const unregister = onCleanup(
    () => child.stop(1000),
    () => killGroup(pid, "SIGKILL"),
  );
  const child: Child = {
    name: o.name,
    pid,
    process: proc,
    get exit() {
      return exit;
    },
    tail: () => tail,
    sample: () => sampleProc(pid),
    async stop(graceMs = 3000) {
      unregister();
      if (exit === undefined) {
        killGroup(pid, "SIGTERM");
        const timer = setTimeout(() => killGroup(pid, "SIGKILL"), graceMs);
        await exited;
        clearTimeout(timer);
      }
      killGroup(pid, "SIGKILL"); // anything left in the group
    },
  };
  const timeoutMs = o.readyTimeoutMs ?? 20_000;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${o.name} not ready after ${timeoutMs} ms; output:\n${tail}`)), timeoutMs);
    onReady = () => {
      onReady = undefined;
      clearTimeout(timer);
      resolve();
    };
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${o.name} exited (${exit}) before it was ready; output:\n${tail}`));
    });
  }).catch(async (e: unknown) => {
    await child.stop(500);
    throw e;
  });
  return child;
}
