/**
 * A value built from one or more files and rebuilt when any of them changes on disk: serving
 * certificates, client CAs and token files are rotated by operators (and by cert-manager or
 * kubelet's projected volumes, which swap a symlink) without a restart.
 *
 * Files are polled (stat: inode, size, mtime) rather than watched with inotify: polling sees symlink
 * swaps and works the same on Bun, Deno and Node. The first load is synchronous and throws, so a
 * bad file stops start-up; a later bad version (half-written, mismatched key) is reported through
 * `onError` and the previous value stays in force until the files change again.
 */
import { readFileSync, statSync } from "node:fs";
import { stat } from "node:fs/promises";

export interface ReloadingFiles<T> {
  /** The value built from the newest good version of the files. */
  current(): T;
  /** Looks at the files now (tests; the timer does it every interval). */
  check(): Promise<void>;
  stop(): void;
}

export interface ReloadingFilesOptions<T> {
  /** Poll interval (default 1 s). */
  intervalMs?: number;
  onReload?: (value: T) => void;
  onError?: (error: Error) => void;
}

/** Default poll interval of rotated files. */
export const DEFAULT_RELOAD_INTERVAL_MS = 1000;

function signatureSync(paths: readonly string[]): string {
  return paths
    .map((p) => {
      const s = statSync(p);
      return `${s.ino}:${s.size}:${s.mtimeMs}`;
    })
    .join("|");
}

async function signature(paths: readonly string[]): Promise<string> {
  const parts = await Promise.all(paths.map(async (p) => stat(p).then((s) => `${s.ino}:${s.size}:${s.mtimeMs}`, () => "missing")));
  return parts.join("|");
}

/** Loads `build(contents)` now (throws on failure) and again whenever one of `paths` changes. */
export function createReloadingFiles<T>(paths: readonly string[], build: (contents: string[]) => T, o: ReloadingFilesOptions<T> = {}): ReloadingFiles<T> {
  const read = () => paths.map((p) => readFileSync(p, "utf8"));
  let seen = signatureSync(paths);
  let value = build(read());
  let checking: Promise<void> | undefined;
  const check = () =>
    (checking ??= (async () => {
      try {
        const now = await signature(paths);
        if (now === seen) return;
        seen = now;
        value = build(read());
        o.onReload?.(value);
      } catch (e) {
        o.onError?.(e as Error);
      } finally {
        checking = undefined;
      }
    })());
  const timer = setInterval(() => void check(), o.intervalMs ?? DEFAULT_RELOAD_INTERVAL_MS);
  timer.unref?.();
  return {
    current: () => value,
    check,
    stop: () => clearInterval(timer),
  };
}
