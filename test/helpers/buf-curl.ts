/**
 * `buf curl` against a Watch RPC, as operators run it from the README: the real Go binary (the npm
 * wrapper does not forward signals), the schema from proto/, and the output collected until a
 * condition holds or the command exits.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";

export const ROOT = join(import.meta.dir, "..", "..");
export const BUF = join(ROOT, "node_modules", "@bufbuild", `buf-${process.platform}-${process.arch === "x64" ? "x64" : process.arch}`, "bin", "buf");

export interface BufCurlResult {
  out: string;
  err: string;
  /** Exit code; null when the output matched and the command was stopped. */
  code: number | null;
  matched: boolean;
}

/**
 * Runs `buf curl --emit-defaults <flags> -d {} <url>/netguard.v1.NetguardService/<method>`;
 * `onReady` runs once the initial events have been printed (the end-of-initial-events bookmark),
 * and the result comes when `until` matches the output (the command is then killed) or it exits.
 */
export function bufCurlWatch(url: string, method: string, flags: string[], until: (out: string) => boolean, onReady: () => Promise<void>): Promise<BufCurlResult> {
  const args = ["curl", "--schema", join(ROOT, "proto"), "--emit-defaults", ...flags, "-d", "{}", `${url}/netguard.v1.NetguardService/${method}`];
  const child = spawn(BUF, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  let ready = false;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`buf curl timed out; stdout=${out} stderr=${err}`));
    }, 15_000);
    child.stderr.on("data", (d) => (err += d));
    child.stdout.on("data", (d) => {
      out += d;
      if (!ready && out.includes('"initialEventsEnd": true')) {
        ready = true;
        onReady().catch(reject);
      }
      if (until(out)) {
        clearTimeout(timer);
        child.kill("SIGKILL");
        resolve({ out, err, code: null, matched: true });
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      if (!until(out)) resolve({ out, err, code, matched: false });
    });
  });
}
