/**
 * What kind of SQLite failure an error is, whichever driver threw it: `bun:sqlite` sets
 * `code: "SQLITE_FULL"` and `errno`, `node:sqlite` sets `errcode` and `errstr`. The RPC layer maps
 * them to codes a client can act on instead of a blanket `internal`.
 */

/** `full`: the database or disk is full; `io`: the storage failed or cannot be opened or written. */
export type SqliteFailure = "full" | "io";

/** Primary result codes (the low byte of an extended code). */
const FULL = 13;
const IO = new Set([8 /* READONLY */, 10 /* IOERR */, 11 /* CORRUPT */, 14 /* CANTOPEN */, 15 /* PROTOCOL */, 26 /* NOTADB */]);

/** The failure class of `e`, or undefined when it is not a SQLite error of those kinds. */
export function sqliteFailure(e: unknown): SqliteFailure | undefined {
  if (e === null || typeof e !== "object") return undefined;
  const err = e as { code?: unknown; errno?: unknown; errcode?: unknown };
  let primary: number | undefined;
  if (typeof err.errcode === "number") primary = err.errcode & 0xff;
  else if (typeof err.code === "string" && err.code.startsWith("SQLITE_") && typeof err.errno === "number") primary = err.errno & 0xff;
  if (primary === undefined) return undefined;
  if (primary === FULL) return "full";
  return IO.has(primary) ? "io" : undefined;
}
