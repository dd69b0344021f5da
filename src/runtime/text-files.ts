/**
 * Synchronous file access for start-up and polling reloads (policy file, kubeconfig, token files,
 * the import command's configuration): read a UTF-8 file, look at its size and identity, and
 * resolve a path written relative to another file. node:fs and node:path exist on Bun, Node and
 * Deno; core code reaches them only through here.
 */
import { readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";

/** The whole file as UTF-8 text; throws the runtime's error (its message names the path). */
export function readTextFile(path: string): string {
  return readFileSync(path, "utf8");
}

/** Size and kind of a file; throws when it cannot be looked at. */
export function fileShape(path: string): { regular: boolean; size: number } {
  const st = statSync(path);
  return { regular: st.isFile(), size: st.size };
}

/**
 * A string that changes when the file is replaced, resized or touched (inode, size, mtime): a
 * ConfigMap's symlink swap changes it too. A missing or unreadable file gives "missing:<code>".
 */
export function fileFingerprint(path: string): string {
  try {
    const st = statSync(path);
    return `${st.ino}:${st.size}:${st.mtimeMs}`;
  } catch (e) {
    return `missing:${(e as NodeJS.ErrnoException).code ?? ""}`;
  }
}

/** `p` as written in `file`: absolute as is, relative to the directory of `file` otherwise (kubectl's rule). */
export function pathBeside(file: string, p: string): string {
  return isAbsolute(p) ? p : resolve(dirname(file), p);
}
