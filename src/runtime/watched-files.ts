/**
 * Files that are re-read when they change on disk: serving certificates, client CA bundles and the
 * token file are rotated by operators (cert-manager, a Secret volume's symlink swap) while the
 * server runs. Polling (size, mtime, inode) works the same on every runtime and file system,
 * including the atomic rename a Secret volume does, which fs.watch can miss.
 */
import { readFileSync, statSync } from "node:fs";

/** Reads the files now (throws with the path when one cannot be read). */
export function readFiles(paths: readonly string[]): string[] {
  return paths.map((p) => {
    try {
      return readFileSync(p, "utf8");
    } catch (e) {
      throw new Error(`cannot read ${p}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  });
}

function signature(path: string): string {
  try {
    const s = statSync(path);
    return `${s.size}:${s.mtimeMs}:${s.ino}:${s.ctimeMs}`;
  } catch {
    return "missing";
  }
}

/** A running poll; stop() ends it. */
export interface FileWatch {
  stop(): void;
}

/**
 * Polls `paths` every `intervalMs`; when any changed, reads them all and calls `onChange` with the
 * contents (in order). A read failure or an `onChange` that throws (half-written files) is passed
 * to `onError` and retried at the next change.
 */
export function watchFiles(
  paths: readonly string[],
  intervalMs: number,
  onChange: (contents: string[]) => void,
  onError: (e: Error) => void,
): FileWatch {
  let last = paths.map(signature).join("|");
  const timer = setInterval(() => {
    const now = paths.map(signature).join("|");
    if (now === last) return;
    last = now;
    try {
      onChange(readFiles(paths));
    } catch (e) {
      onError(e as Error);
    }
  }, intervalMs);
  (timer as { unref?: () => void }).unref?.();
  return { stop: () => clearInterval(timer) };
}
