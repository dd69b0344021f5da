/**
 * Field codecs: small, composable mappings between a Kubernetes JSON value and the matching
 * protobuf-es init value. Kind descriptors are built from these, so conversion is data, not a
 * hand-written converter per kind.
 */
import { API_VERSION, type ObjectRef } from "./model.ts";

/** What reading a field may depend on besides its value: the namespace of the object it belongs to. */
export interface CodecContext {
  namespace: string;
}

/** Converts one field both ways. `fromProto` returns undefined for "absent" (omitted in JSON). */
export interface Codec {
  toProto(value: unknown): unknown;
  fromProto(value: unknown, ctx?: CodecContext): unknown;
  /** Set on reference fields (and lists of them): the kind referenced. Kind descriptors derive `refs` from it. */
  readonly refKind?: string;
  /** Set on references whose namespace is the referring object's (upstream's ObjectReference). */
  readonly refSameNamespace?: boolean;
}

export const str: Codec = {
  toProto: (v) => (typeof v === "string" ? v : v === undefined || v === null ? "" : String(v)),
  fromProto: (v) => (typeof v === "string" && v !== "" ? v : undefined),
};

export const bool: Codec = {
  toProto: (v) => v === true,
  fromProto: (v) => (v === true ? true : undefined),
};

export const int: Codec = {
  toProto: (v) => (typeof v === "number" && Number.isFinite(v) ? Math.trunc(v) : 0),
  fromProto: (v) => (typeof v === "number" && v !== 0 ? v : typeof v === "bigint" && v !== 0n ? Number(v) : undefined),
};

/**
 * A scalar whose presence is kept (a proto3 `optional` field): what a client set — `false`, `0`
 * or `""` included — reads back exactly, and what it left out stays absent. Client-side and
 * server-side apply compare the applied value with the live one, so a dropped `false` would be
 * permanent drift for GitOps tools.
 */
export function present(inner: Codec): Codec {
  return {
    toProto: (v) => (v === undefined || v === null ? undefined : inner.toProto(v)),
    fromProto: (v) => (v === undefined ? undefined : typeof v === "bigint" ? Number(v) : v),
  };
}

/** String enum on the Kubernetes side, number on the wire. `zeroIsUnset` omits value 0 on read. */
export function enumOf(values: Record<string, number>, zeroIsUnset: boolean): Codec {
  const byNumber = new Map<number, string>();
  for (const [name, n] of Object.entries(values)) byNumber.set(n, name);
  return {
    // Own keys only: "constructor" or "toString" is an unknown value (0), not an inherited member.
    toProto: (v) => (typeof v === "string" && Object.hasOwn(values, v) ? values[v] : 0),
    fromProto: (v) => {
      const n = typeof v === "number" ? v : 0;
      if (n === 0 && zeroIsUnset) return undefined;
      return byNumber.get(n);
    },
  };
}

/** Repeated field; an empty list reads back as absent. */
export function listOf(item: Codec): Codec {
  return {
    refKind: item.refKind,
    refSameNamespace: item.refSameNamespace,
    toProto: (v) => (Array.isArray(v) ? v.map((x) => item.toProto(x)) : []),
    fromProto: (v, ctx) => {
      if (!Array.isArray(v) || v.length === 0) return undefined;
      return v.map((x) => item.fromProto(x, ctx));
    },
  };
}

/** A field of a nested message: [Kubernetes key, protobuf-es field name, codec]. */
export type FieldSpec = readonly [k8sKey: string, protoKey: string, codec: Codec];

/** Nested object ↔ nested message, field by field. */
export function messageOf(fields: readonly FieldSpec[]): Codec {
  return {
    toProto: (v) => {
      const src = (v && typeof v === "object" ? v : {}) as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [k, p, c] of fields) out[p] = c.toProto(src[k]);
      return out;
    },
    fromProto: (v) => {
      if (!v || typeof v !== "object") return undefined;
      const src = v as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [k, p, c] of fields) {
        const x = c.fromProto(src[p]);
        if (x !== undefined) out[k] = x;
      }
      return out;
    },
  };
}

/**
 * A message field that is either set or absent (a derived reference, a bound Network's item): an
 * absent value leaves the message unset, and a message whose fields are all empty reads back absent.
 */
export function optionalMessage(inner: Codec): Codec {
  return {
    toProto: (v) => (v && typeof v === "object" ? inner.toProto(v) : undefined),
    fromProto: (v, ctx) => {
      const r = inner.fromProto(v, ctx);
      return r && typeof r === "object" && Object.keys(r).length > 0 ? r : undefined;
    },
  };
}

/** NamespacedObjectReference: same keys on both sides. */
export const namespacedRef: Codec = messageOf([
  ["apiVersion", "apiVersion", str],
  ["kind", "kind", str],
  ["name", "name", str],
  ["namespace", "namespace", str],
]);

/** ObjectReference (no namespace). */
export const objectRef: Codec = messageOf([
  ["apiVersion", "apiVersion", str],
  ["kind", "kind", str],
  ["name", "name", str],
]);

/** A NamespacedObjectReference to an object of `kind` (same keys on both sides). */
export function namespacedRefOf(kind: string): Codec {
  return { ...namespacedRef, refKind: kind };
}

/**
 * A reference to an object of `kind` in the referring object's namespace (upstream's
 * ObjectReference: apiVersion, kind, name). Kubernetes clients may leave the namespace out; on read
 * it is the object's own, so every stored reference names its target completely, and upstream
 * clients that never send one are understood.
 */
export function sameNamespaceRef(kind: string): Codec {
  return {
    refKind: kind,
    refSameNamespace: true,
    toProto: namespacedRef.toProto,
    fromProto: (v, ctx) => {
      const r = objectRef.fromProto(v) as ObjectRef | undefined;
      if (!r?.name) return undefined;
      const ns = (v as { namespace?: unknown }).namespace;
      return { apiVersion: r.apiVersion ?? API_VERSION, kind: r.kind ?? kind, name: r.name, namespace: (typeof ns === "string" && ns) || ctx?.namespace || undefined };
    },
  };
}

/**
 * ServiceRef / AddressGroupRef: a manifest reference on the Kubernetes side; on the wire both the
 * deprecated `identifier` (what upstream servers read) and `object_ref` are written. Reading prefers
 * `object_ref` and falls back to `identifier`, defaulting apiVersion and kind.
 */
export function typedRef(kind: string): Codec {
  return {
    refKind: kind,
    toProto: (v) => {
      const r = (v && typeof v === "object" ? v : {}) as ObjectRef;
      return {
        identifier: { name: r.name ?? "", namespace: r.namespace ?? "" },
        objectRef: {
          apiVersion: r.apiVersion ?? "",
          kind: r.kind ?? "",
          name: r.name ?? "",
          namespace: r.namespace ?? "",
        },
      };
    },
    fromProto: (v) => {
      if (!v || typeof v !== "object") return undefined;
      const m = v as { identifier?: { name: string; namespace: string }; objectRef?: ObjectRef };
      const o = m.objectRef;
      if (o && o.name) {
        return {
          apiVersion: o.apiVersion || API_VERSION,
          kind: o.kind || kind,
          name: o.name,
          namespace: o.namespace || m.identifier?.namespace || undefined,
        };
      }
      const id = m.identifier;
      if (!id || !id.name) return undefined;
      return { apiVersion: API_VERSION, kind, name: id.name, namespace: id.namespace || undefined };
    },
  };
}

/**
 * Upstream's deprecated `repeated ResourceIdentifier` beside a list of object references (RuleS2S
 * field 5 beside field 8): written on every read so upstream clients that still read the old field
 * see the same objects, and never read back — the object-reference field is the one source.
 */
export const legacyIdentifiers: Codec = {
  toProto: (v) =>
    Array.isArray(v)
      ? v.map((raw) => {
          const r = (raw && typeof raw === "object" ? raw : {}) as { name?: unknown; namespace?: unknown };
          return { name: typeof r.name === "string" ? r.name : "", namespace: typeof r.namespace === "string" ? r.namespace : "" };
        })
      : [],
  fromProto: () => undefined,
};

/** "80" ↔ {start:80,end:80}; "8080-8081" ↔ {start:8080,end:8081}. */
export function parsePortRange(s: string): { start: number; end: number } | undefined {
  const m = /^\s*(\d{1,5})\s*(?:-\s*(\d{1,5})\s*)?$/.exec(s);
  if (!m) return undefined;
  const start = Number(m[1]);
  const end = m[2] === undefined ? start : Number(m[2]);
  return { start, end };
}

export function formatPortRange(r: { start: number; end: number }): string {
  return r.start === r.end ? String(r.start) : `${r.start}-${r.end}`;
}

/**
 * IEAgAgRule ports: `[{port: 22}, {portRange: {from, to}}]` ↔ PortSpec entries whose `destination`
 * holds a comma list. Every manifest entry becomes one PortSpec, so the round trip is exact; a
 * comma list from an upstream client is split into one entry per element on read.
 */
export const ruleDestinationPorts: Codec = {
  toProto: (v) => {
    if (!Array.isArray(v)) return [];
    return v.map((raw) => {
      const p = (raw ?? {}) as { port?: number; portRange?: { from?: number; to?: number } };
      const dest = p.portRange ? `${p.portRange.from ?? 0}-${p.portRange.to ?? 0}` : p.port !== undefined ? String(p.port) : "";
      return { source: "", destination: dest };
    });
  },
  fromProto: (v) => {
    if (!Array.isArray(v) || v.length === 0) return undefined;
    const out: unknown[] = [];
    for (const raw of v) {
      const dest = String((raw as { destination?: string }).destination ?? "");
      for (const part of dest.split(",")) {
        const r = parsePortRange(part);
        if (!r) continue;
        out.push(r.start === r.end && !part.includes("-") ? { port: r.start } : { portRange: { from: r.start, to: r.end } });
      }
    }
    return out.length ? out : undefined;
  },
};
