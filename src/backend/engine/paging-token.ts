/**
 * List paging tokens: a continue token carries the last returned (namespace, name), and the next
 * page starts after it. Opaque to clients; a token that does not decode is a 400, never a crash.
 */
import type { KubeObject } from "../../kinds/model.ts";
import { EngineError } from "../../domain/mod.ts";

/** The continue token of a page that ended with `o`. */
export function encodeContinue(o: KubeObject): string {
  return btoa(JSON.stringify({ ns: o.metadata.namespace, n: o.metadata.name })).replace(/=+$/, "");
}

/** The (namespace, name) a token continues after; EngineError("BadRequest") when it is not one of ours. */
export function decodeContinue(token: string): [string, string] {
  try {
    const v = JSON.parse(atob(token)) as { ns?: unknown; n?: unknown };
    if (typeof v.ns === "string" && typeof v.n === "string") return [v.ns, v.n];
  } catch {
    // fall through
  }
  throw new EngineError("BadRequest", `invalid continue token "${token}"`);
}

/** Whether `o` sorts after the position a token carries (lists are in namespace/name order). */
export function isAfter(o: KubeObject, pos: [string, string]): boolean {
  const { namespace, name } = o.metadata;
  return namespace > pos[0] || (namespace === pos[0] && name > pos[1]);
}
