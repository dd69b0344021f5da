/**
 * The few DER (ASN.1) encodings an X.509 certificate needs, so the all-in-one can make its
 * development CA and serving certificate without openssl (the product image has none) and
 * without a dependency: node:crypto makes keys and signs, this lays out the bytes.
 */

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function length(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

/** A tag-length-value with the given tag byte. */
export function tlv(tag: number, ...content: Uint8Array[]): Uint8Array {
  const body = concat(content);
  return concat([Uint8Array.of(tag), length(body.length), body]);
}

export const sequence = (...c: Uint8Array[]) => tlv(0x30, ...c);
export const set = (...c: Uint8Array[]) => tlv(0x31, ...c);
/** Context-specific constructed tag [n] (EXPLICIT). */
export const explicit = (n: number, ...c: Uint8Array[]) => tlv(0xa0 | n, ...c);
export const octetString = (b: Uint8Array) => tlv(0x04, b);
export const utf8String = (s: string) => tlv(0x0c, new TextEncoder().encode(s));
export const boolean = (v: boolean) => tlv(0x01, Uint8Array.of(v ? 0xff : 0));
/** BIT STRING with `unused` trailing bits in the last byte. */
export const bitString = (b: Uint8Array, unused = 0) => tlv(0x03, Uint8Array.of(unused), b);

/** A non-negative INTEGER from big-endian bytes. */
export function integer(bytes: Uint8Array): Uint8Array {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  const b = bytes.subarray(i);
  return tlv(0x02, (b[0] ?? 0) & 0x80 ? concat([Uint8Array.of(0), b]) : b.length ? b : Uint8Array.of(0));
}

/** An OBJECT IDENTIFIER from its dotted form. */
export function oid(dotted: string): Uint8Array {
  const parts = dotted.split(".").map(Number);
  const out: number[] = [parts[0]! * 40 + parts[1]!];
  for (const p of parts.slice(2)) {
    const enc: number[] = [p & 0x7f];
    for (let v = Math.floor(p / 128); v > 0; v = Math.floor(v / 128)) enc.unshift(0x80 | (v & 0x7f));
    out.push(...enc);
  }
  return tlv(0x06, Uint8Array.from(out));
}

/** UTCTime before 2050, GeneralizedTime from then on (RFC 5280 4.1.2.5). */
export function time(d: Date): Uint8Array {
  const iso = d.toISOString().replace(/[-:T]/g, "").slice(0, 14) + "Z"; // YYYYMMDDHHMMSSZ
  return d.getUTCFullYear() < 2050 ? tlv(0x17, new TextEncoder().encode(iso.slice(2))) : tlv(0x18, new TextEncoder().encode(iso));
}
