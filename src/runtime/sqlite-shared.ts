/**
 * Behaviour both SQLite adapters must share exactly; kept here so the Bun and Deno paths cannot
 * drift apart in how they open files or run transactions.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";

/** SQLite creates the file but not its directory; a fresh data dir should just work. */
export function ensureParentDir(path: string): void {
  if (path === "" || path === ":memory:" || path.startsWith("file:")) return;
  mkdirSync(dirname(path), { recursive: true });
}

/**
 * WAL lets readers (watch catch-up) proceed during a commit; synchronous=NORMAL in WAL is durable
 * across process crashes. busy_timeout makes a second process wait briefly for the write lock
 * instead of failing at once.
 */
export const CONNECTION_PRAGMAS = [
  "PRAGMA journal_mode = WAL",
  "PRAGMA synchronous = NORMAL",
  "PRAGMA busy_timeout = 5000",
];

/**
 * Transactions are done with plain SQL rather than each library's helper so both runtimes take the
 * same locks and handle a failing COMMIT the same way.
 */
export function runInTransaction<T>(exec: (sql: string) => void, fn: () => T): T {
  exec("BEGIN IMMEDIATE");
  try {
    const result = fn();
    if (isThenable(result)) {
      // Keep the abandoned promise from surfacing as an unhandled rejection; its error is moot.
      Promise.resolve(result).catch(() => {});
      throw new TypeError("SqliteDriver.transaction: the body must be synchronous (it returned a promise)");
    }
    exec("COMMIT");
    return result;
  } catch (err) {
    try {
      exec("ROLLBACK");
    } catch {
      // SQLite may already have rolled back by itself (some errors, a failed COMMIT); the original
      // error is the one worth reporting.
    }
    throw err;
  }
}

function isThenable(v: unknown): boolean {
  return v !== null && (typeof v === "object" || typeof v === "function") && typeof (v as { then?: unknown }).then === "function";
}
