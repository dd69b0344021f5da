/**
 * IP addresses and CIDR notation ("10.0.0.0/24", "2001:db8::/32") parsed without any runtime module: the syntax Go's
 * `net.ParseCIDR` accepts (upstream's validators) and the rule PostgreSQL's `cidr` column adds
 * (upstream's `networks.cidr`): no address bits set right of the prefix. The canonical form keys
 * uniqueness, so "2001:0db8::/32" and "2001:db8::/32" are the same network, as they are to PostgreSQL.
 */

/** A parsed CIDR: its address bytes (4 or 16), prefix length and canonical text. */
export interface Cidr {
  bytes: readonly number[];
  prefix: number;
  canonical: string;
}

/** The longest CIDR text accepted (a full IPv6 address with an embedded IPv4 tail and "/128"). */
export const MAX_CIDR_LENGTH = 64;

function parseIPv4(s: string): number[] | undefined {
  const parts = s.split(".");
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    // Go rejects leading zeros (ambiguous octal) since 1.17.
    if (!/^(0|[1-9]\d{0,2})$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out.push(n);
  }
  return out;
}

function parseIPv6(s: string): number[] | undefined {
  const halves = s.split("::");
  if (halves.length > 2) return undefined;
  const groups = (text: string): number[] | undefined => {
    if (text === "") return [];
    const out: number[] = [];
    const parts = text.split(":");
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      if (i === parts.length - 1 && p.includes(".")) {
        const v4 = parseIPv4(p);
        if (!v4) return undefined;
        out.push(v4[0]! * 256 + v4[1]!, v4[2]! * 256 + v4[3]!);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(p)) {
        out.push(parseInt(p, 16));
      } else {
        return undefined;
      }
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return undefined;
  // An embedded IPv4 tail is only allowed at the very end.
  if (halves.length === 2 && halves[0]!.includes(".")) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const words = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  return words.flatMap((w) => [w >> 8, w & 0xff]);
}

function formatIPv6(bytes: readonly number[]): string {
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push(bytes[i]! * 256 + bytes[i + 1]!);
  // RFC 5952: compress the longest run (at least two) of zero words, the first one on ties.
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j;
  }
  const hex = (ws: number[]) => ws.map((w) => w.toString(16)).join(":");
  return best < 0 ? hex(words) : `${hex(words.slice(0, best))}::${hex(words.slice(best + bestLen))}`;
}

/** The bytes of an IPv4 (4) or IPv6 (16) address without prefix or zone; undefined when invalid. */
export function parseIp(text: string): number[] | undefined {
  if (text.length > MAX_CIDR_LENGTH) return undefined;
  return text.includes(":") ? parseIPv6(text) : parseIPv4(text);
}

/** Parses CIDR notation; a string describing the problem when it is not valid. */
export function parseCidr(text: string): Cidr | string {
  if (text.length > MAX_CIDR_LENGTH) return `must be at most ${MAX_CIDR_LENGTH} characters`;
  const slash = text.indexOf("/");
  if (slash < 0) return "must be a valid CIDR notation (address/prefix)";
  const addr = text.slice(0, slash);
  const len = text.slice(slash + 1);
  const bytes = parseIp(addr);
  if (!bytes) return "must be a valid CIDR notation (address/prefix)";
  const bits = bytes.length * 8;
  if (!/^\d{1,3}$/.test(len) || Number(len) > bits) return `must be a valid CIDR notation: prefix length must be between 0 and ${bits}`;
  const prefix = Number(len);
  for (let bit = prefix; bit < bits; bit++) {
    if (bytes[bit >> 3]! & (0x80 >> (bit & 7))) return "must be a network address: it has bits set to the right of the prefix length";
  }
  const canonical = `${bytes.length === 4 ? bytes.join(".") : formatIPv6(bytes)}/${prefix}`;
  return { bytes, prefix, canonical };
}
