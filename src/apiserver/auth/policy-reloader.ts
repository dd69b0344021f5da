/**
 * Keeps the policy file's current content: loaded at start-up (a missing or bad file stops the start
 * with a message naming it), then checked for changes every `intervalMs` and reloaded without a
 * restart. A change that does not validate is logged and ignored: the last good policy stays in
 * force, so a typo in a live edit can neither open access nor lock everyone out. Polling (stat,
 * then read when size, mtime or inode changed) also follows a Kubernetes ConfigMap's symlink swap,
 * which file watchers miss.
 */
import { fileFingerprint as fingerprint, fileShape, readTextFile } from "../../runtime/text-files.ts";
import { MAX_POLICY_BYTES, parsePolicy, PolicyError, type Policy } from "./policy-file.ts";

/** The live policy of a file. */
export interface PolicyReloader {
  current(): Policy;
  /** Checks the file now (the timer does this every intervalMs). */
  check(): void;
  close(): void;
}

export interface PolicyReloaderOptions {
  /** Change check period (default 1 s). */
  intervalMs?: number;
  /** Where reload problems go (default console.error). */
  log?: (line: string) => void;
}

function readPolicy(path: string): { policy: Policy; text: string } {
  let text: string;
  try {
    const st = fileShape(path);
    if (!st.regular) throw new PolicyError(`${path}: not a regular file`);
    if (st.size > MAX_POLICY_BYTES) throw new PolicyError(`${path}: larger than ${MAX_POLICY_BYTES} bytes`);
    text = readTextFile(path);
  } catch (e) {
    if (e instanceof PolicyError) throw e;
    throw new PolicyError(`${path}: cannot be read: ${(e as Error).message}`);
  }
  return { policy: parsePolicy(text, path), text };
}

/** Loads `path` (throws PolicyError when it is unusable) and reloads it when it changes. */
export function createPolicyReloader(path: string, o: PolicyReloaderOptions = {}): PolicyReloader {
  const log = o.log ?? ((line: string) => console.error(line));
  let seen = fingerprint(path);
  let { policy, text } = readPolicy(path);
  let failing = "";
  const check = () => {
    const now = fingerprint(path);
    if (now === seen) return;
    seen = now;
    try {
      const next = readPolicy(path);
      if (next.text === text) return;
      ({ policy, text } = next);
      failing = "";
      log(`authorization: policy file ${path} reloaded (${policy.roles.length} roles, ${policy.bindings.length} bindings)`);
    } catch (e) {
      const msg = (e as Error).message;
      if (msg !== failing) log(`authorization: policy file reload failed, keeping the last good policy: ${msg}`);
      failing = msg;
    }
  };
  const timer = setInterval(check, o.intervalMs ?? 1000);
  (timer as { unref?: () => void }).unref?.();
  return { current: () => policy, check, close: () => clearInterval(timer) };
}
