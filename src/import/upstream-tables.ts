/**
 * The import's kind table: for each kind whose descriptor says where it lives upstream
 * (`upstream` in src/kinds/<kind>/descriptor.ts), upstream's table and how its columns become the
 * spec (schema: upstream's migrations 001–018). The runner is written once against this data.
 *
 * The order is the dependency order of the writes (each descriptor's `upstream.order`): groups,
 * then Services (which list groups), then policies (which must exist before a cross-namespace
 * binding), bindings, aliases, RuleS2S and hand-written IEAgAgRules.
 */
import type { UpstreamImport } from "../kinds/kind-descriptor.ts";
import { KINDS } from "../kinds/kind-table.ts";

/** One upstream table the import reads: a kind's `upstream` part with the kind's name. */
export interface UpstreamTable extends UpstreamImport {
  /** Our Kind name (src/kinds/kind-table.ts). */
  kind: string;
}

/** Every imported kind's table, in write order. */
export const UPSTREAM_TABLES: readonly UpstreamTable[] = KINDS.flatMap((k) => (k.upstream ? [{ kind: k.kind, ...k.upstream }] : [])).sort(
  (a, b) => a.order - b.order,
);
