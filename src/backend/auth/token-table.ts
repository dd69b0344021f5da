/**
 * The backend's bearer tokens: a text file, one `token,name,role` a line (`#` comments and blank
 * lines ignored), role `read-only` or `read-write`. A file an operator can write with `echo` and
 * rotate by rewriting. Every line is checked; a bad line names its number (never the token), so a
 * typo cannot silently leave a caller without access or with more than meant.
 */
import type { Role } from "./roles.ts";

/** Who a token belongs to. */
export interface TokenUser {
  name: string;
  role: Role;
}

/** Token -> user. */
export type TokenTable = ReadonlyMap<string, TokenUser>;

/** Shortest accepted token: a guessable token is no credential. */
export const MIN_TOKEN_LENGTH = 16;

/** Parses a token file's text; throws an Error naming `source` and the line. */
export function parseTokenFile(text: string, source: string): TokenTable {
  const table = new Map<string, TokenUser>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const where = `${source} line ${i + 1}`;
    const fields = line.split(",").map((f) => f.trim());
    if (fields.length !== 3) throw new Error(`${where}: expected token,name,role (3 fields), got ${fields.length}`);
    const [token, name, role] = fields as [string, string, string];
    if (token.length < MIN_TOKEN_LENGTH || !/^[\x21-\x7e]+$/.test(token)) {
      throw new Error(`${where}: the token must be at least ${MIN_TOKEN_LENGTH} printable characters without spaces`);
    }
    if (!name) throw new Error(`${where}: the name is empty`);
    if (role !== "read-only" && role !== "read-write") throw new Error(`${where}: role "${role}" must be read-only or read-write`);
    if (table.has(token)) throw new Error(`${where}: the token is already used on an earlier line`);
    table.set(token, { name, role });
  });
  return table;
}
