/**
 * The shape of a kind: everything that differs between netguard kinds — names, wire message,
 * field mapping, references, table columns, validation rules, OpenAPI schema parts and derive
 * hooks — as one value per kind (`src/kinds/<kind>/descriptor.ts`). Storage, watch, RPC, REST,
 * validation and derive code is written once against `KindDescriptor`; `kind-table.ts` lists them.
 */
import type { DescMessage } from "@bufbuild/protobuf";
import type { ResourceKind } from "../gen/netguard/v1/service_pb.ts";
import type { Codec } from "./codecs.ts";
import type { KindDerive } from "./kind-derive.ts";
import type { KindSchemaParts } from "./openapi/kind-schema-parts.ts";
import type { KindRules } from "./validation/kind-rules.ts";
import { wireNamesOf, type WireNames } from "./wire-names.ts";

/** A mapped field: dotted Kubernetes path (e.g. "spec.ingressPorts"), protobuf-es field name, codec. */
export interface MappedField {
  path: readonly string[];
  proto: string;
  codec: Codec;
}

/** A table column beyond Name and Age, rendered from the object. */
export interface ColumnSpec {
  name: string;
  type: "string" | "boolean" | "integer";
  /** 0: shown by default; 1: shown with -o wide. */
  priority: 0 | 1;
  description: string;
  cell(obj: Record<string, unknown>): string | boolean | number;
}

/** A reference field of a kind, to an object of another kind. */
export interface RefField {
  path: readonly string[];
  kind: string;
  /** The namespace may be left out: it is the referring object's (`sameNamespaceRef`). */
  sameNamespace?: boolean;
}

/** One upstream database row (column → value), as the import reads it. */
export type UpstreamRow = Record<string, unknown>;

/**
 * Where the kind lives in an upstream netguard-pg-backend database and how its columns become the
 * spec (read by `src/import/`; decoders in `src/import/row-decoders.ts`).
 */
export interface UpstreamImport {
  /** Upstream's table; rows are keyed (namespace, name) and join k8s_metadata by resource_version. */
  table: string;
  /** Position in the import's write order: referenced kinds first (gaps leave room for new kinds). */
  order: number;
  /** spec field name → decoder. */
  spec: readonly (readonly [string, (row: UpstreamRow) => unknown])[];
  /** When set, every row is reported as skipped for this reason: this server derives the kind. */
  derived?: string;
  /** A reason to skip one row that is fine but must not be imported (e.g. a generated object). */
  skip?: (row: UpstreamRow) => string | undefined;
}

/** What a kind's descriptor file writes; `defineKind` adds what follows from it. */
export interface KindSpec {
  kind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  resourceKind: ResourceKind;
  schema: DescMessage;
  /**
   * Spec, status and root-level fields (metadata, conditions and observedGeneration are generic).
   * Fields whose codec is a reference (`typedRef`, or a list of them) are the kind's `refs`.
   */
  fields: MappedField[];
  /** Fields that may not change after create. */
  immutable: readonly (readonly string[])[];
  /** Fields only the server writes (derived); ignored on input from clients. */
  readOnly: readonly (readonly string[])[];
  /**
   * Status fields beyond conditions/observedGeneration (the status schema). Those also listed in
   * `readOnly` are written by the server only; a status update cannot set them.
   */
  statusFields: readonly (readonly string[])[];
  columns: ColumnSpec[];
  /** Validation beyond the generic checks (metadata, reference syntax/existence, immutability). */
  rules: KindRules;
  /** The kind-specific parts of its OpenAPI schema. */
  openapi: KindSchemaParts;
  /** Derived fields, readiness and what a change affects. */
  derive: KindDerive;
  /** How the import reads the kind from an upstream database; absent: not imported. */
  upstream?: UpstreamImport;
}

/** A kind, complete. */
export interface KindDescriptor extends KindSpec, WireNames {
  listKind: string;
  /** References to other kinds that must exist: the fields whose codec names a kind, in field order. */
  refs: RefField[];
}

/**
 * The descriptor of a kind: its spec plus what follows from it — the list kind, the references, and
 * its names on the wire (read off the proto, `wire-names.ts`).
 */
export function defineKind(spec: KindSpec): KindDescriptor {
  const refs = spec.fields.flatMap((f) =>
    f.codec.refKind ? [{ path: f.path, kind: f.codec.refKind, ...(f.codec.refSameNamespace ? { sameNamespace: true } : {}) }] : [],
  );
  return { ...spec, ...wireNamesOf(spec.schema), listKind: `${spec.kind}List`, refs };
}

/** A dotted path as segments. */
export const path = (dotted: string): string[] => dotted.split(".");

/** A mapped field from a dotted path, a protobuf-es field name and a codec. */
export const field = (dotted: string, proto: string, codec: Codec): MappedField => ({ path: path(dotted), proto, codec });
