/**
 * The kind-specific parts of a kind's OpenAPI schema, held by its descriptor. Everything generic
 * (envelope, metadata, status conditions, lists) is built around them by
 * `src/apiserver/openapi/schema-components.ts`; a test checks that every mapped field of a kind
 * appears in its parts.
 */
import { MAX_DESCRIPTION, RULE_ACTIONS, TRAFFIC } from "../../domain/domain-values.ts";
import { enumOf, str, type Schema } from "./schema-types.ts";

/** The kind-specific parts of a kind's schema. */
export interface KindSchemaParts {
  /** One sentence on what the kind is for (the object's description). */
  description: string;
  spec: Schema;
  /** Status fields beyond conditions and observedGeneration. */
  status?: Record<string, Schema>;
  /** Root-level fields beside apiVersion/kind/metadata/spec/status (derived, read-only). */
  root?: Record<string, Schema>;
}

/** Free-text description field, shared by several kinds. */
export const descriptionSchema = str("Free text, at most 512 characters.", { maxLength: MAX_DESCRIPTION });
/** Traffic direction field. */
export const trafficSchema = enumOf(TRAFFIC, "Traffic direction: INGRESS or EGRESS (upper case).");
/** Rule verdict field. */
export const actionSchema = enumOf(RULE_ACTIONS, "Verdict: ACCEPT or DROP.");
/** A field only the server writes. */
export const readOnlySchema = (s: Schema): Schema => ({ ...s, readOnly: true });
