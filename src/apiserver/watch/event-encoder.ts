/**
 * Watch wire encoding: newline-delimited `{"type","object"}` JSON, objects plain or as one-row
 * Tables. Lines are cached on the cache entry they came from, so N watchers of the same variant
 * cost one JSON.stringify and one TextEncoder pass, and they all enqueue the same bytes.
 */
import type { KindDescriptor } from "../../kinds/kind-table.ts";
import { API_VERSION } from "../../kinds/model.ts";
import type { StatusBody } from "../status.ts";
import { renderTable, type IncludeObject } from "../tables.ts";
import type { ChangeType, Encodable } from "./cache-event.ts";

/** How one watcher wants objects written. */
export interface WireVariant {
  format: "json" | "table";
  include: IncludeObject;
}

const VARIANTS = new Map<string, WireVariant>();

/** The shared WireVariant of a format and includeObject (a handful exist; watchers keep one each). */
export function wireVariant(format: WireVariant["format"], include: IncludeObject): WireVariant {
  const key = `${format}:${include}`;
  let v = VARIANTS.get(key);
  if (!v) VARIANTS.set(key, (v = Object.freeze({ format, include })));
  return v;
}

export interface EventEncoder {
  /** The line for `item` as a `type` event; `withColumns` adds Table columnDefinitions. */
  line(item: Encodable, type: ChangeType, v: WireVariant, withColumns: boolean): Uint8Array;
  /** A BOOKMARK line; `initialEventsEnd` adds the k8s.io/initial-events-end annotation. */
  bookmark(rv: number, initialEventsEnd: boolean): Uint8Array;
  /** An ERROR line carrying a plain Status. */
  error(status: StatusBody): Uint8Array;
}

const encoder = new TextEncoder();

/** The first bytes of every watch response: flushes the headers at once (Bun sends none before a chunk). */
export const FIRST_CHUNK: Uint8Array = encoder.encode("\n");

/** Content types of watch responses: plain objects, or Tables (what kubectl asked for). */
export const JSON_CONTENT_TYPE = "application/json";
export const TABLE_CONTENT_TYPE = "application/json;as=Table;v=v1;g=meta.k8s.io";

/** Key of a cached line variant. */
export function variantKey(type: ChangeType, v: WireVariant, withColumns: boolean): string {
  return v.format === "json" ? `${type}|j` : `${type}|t${v.include}${withColumns ? "|c" : ""}`;
}

/** The encoder of one kind (bookmarks name the kind; Tables use its columns). */
export function createEventEncoder(kind: KindDescriptor): EventEncoder {
  return {
    line(item, type, v, withColumns) {
      const key = variantKey(type, v, withColumns);
      let lines = item.lines;
      const hit = lines?.get(key);
      if (hit) return hit;
      let body: string;
      if (v.format === "json") {
        item.json ??= JSON.stringify(item.object);
        body = item.json;
      } else {
        body = JSON.stringify(renderTable(kind, [item.object], { resourceVersion: String(item.rv) }, v.include, withColumns));
      }
      const bytes = encoder.encode(`{"type":"${type}","object":${body}}\n`);
      if (!lines) lines = item.lines = new Map();
      lines.set(key, bytes);
      return bytes;
    },
    bookmark(rv, initialEventsEnd) {
      const metadata: Record<string, unknown> = { resourceVersion: String(rv) };
      if (initialEventsEnd) metadata.annotations = { "k8s.io/initial-events-end": "true" };
      return encoder.encode(`${JSON.stringify({ type: "BOOKMARK", object: { apiVersion: API_VERSION, kind: kind.kind, metadata } })}\n`);
    },
    error(status) {
      return encoder.encode(`${JSON.stringify({ type: "ERROR", object: status })}\n`);
    },
  };
}

/** Joins encoded lines into one chunk (one write per watcher per flush). */
export function concatChunks(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  let n = 0;
  for (const p of parts) n += p.byteLength;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}
