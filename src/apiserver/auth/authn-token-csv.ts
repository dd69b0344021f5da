/**
 * kube-apiserver's static token file (`--token-auth-file`): CSV rows `token,user,uid,"g1,g2"`,
 * read as Go's encoding/csv reads it (quoted fields with "" escapes, leading spaces trimmed,
 * blank lines skipped, a stray quote is an error). Rows with fewer than 3 columns make the whole
 * file invalid; an empty token is skipped with a warning; a duplicate token warns and the later
 * row wins — the same rules as k8s.io/apiserver's tokenfile.
 */
import type { UserInfo } from "./user-info.ts";

/** Tokens and the users they authenticate, plus warnings to log. */
export interface TokenTable {
  tokens: Map<string, UserInfo>;
  warnings: string[];
}

/** Splits CSV text into records; throws with the line number on malformed quoting. */
export function parseCsv(text: string): { line: number; fields: string[] }[] {
  const out: { line: number; fields: string[] }[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const start = line;
    const fields: string[] = [];
    let blank = true;
    for (;;) {
      while (i < n && (text[i] === " " || text[i] === "\t")) i++;
      let field = "";
      if (text[i] === '"') {
        blank = false;
        i++;
        for (;;) {
          if (i >= n) throw new Error(`record on line ${start}: extraneous or missing " in quoted-field`);
          const c = text[i]!;
          if (c === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === "\n") line++;
          field += c;
          i++;
        }
        if (i < n && text[i] !== "," && text[i] !== "\n" && text[i] !== "\r") {
          throw new Error(`record on line ${line}: extraneous or missing " in quoted-field`);
        }
      } else {
        while (i < n && text[i] !== "," && text[i] !== "\n") {
          if (text[i] === '"') throw new Error(`record on line ${line}: bare " in non-quoted-field`);
          field += text[i];
          i++;
        }
        if (field.endsWith("\r")) field = field.slice(0, -1);
        if (field !== "") blank = false;
      }
      fields.push(field);
      if (text[i] === "\r") i++;
      if (i < n && text[i] === ",") {
        blank = false;
        i++;
        continue;
      }
      if (i < n && text[i] === "\n") {
        i++;
        line++;
      }
      break;
    }
    if (!blank) out.push({ line: start, fields });
  }
  return out;
}

/** Parses a token file; throws (naming the file) when it is not valid. */
export function parseTokenFile(text: string, path: string): TokenTable {
  const tokens = new Map<string, UserInfo>();
  const warnings: string[] = [];
  let records: { line: number; fields: string[] }[];
  try {
    records = parseCsv(text);
  } catch (e) {
    throw new Error(`token file '${path}': ${(e as Error).message}`);
  }
  records.forEach((r, idx) => {
    if (r.fields.length < 3) {
      throw new Error(`token file '${path}' must have at least 3 columns (token, user name, user uid), found ${r.fields.length}`);
    }
    const token = r.fields[0]!.trim();
    if (token === "") {
      warnings.push(`empty token has been found in token file '${path}', record number '${idx + 1}'`);
      return;
    }
    if (tokens.has(token)) warnings.push(`duplicate token has been found in token file '${path}', record number '${idx + 1}'`);
    const groups = r.fields.length >= 4 ? r.fields[3]!.split(",").filter((g) => g !== "") : [];
    tokens.set(token, { name: r.fields[1]!, uid: r.fields[2]!, groups, extra: {} });
  });
  return { tokens, warnings };
}
