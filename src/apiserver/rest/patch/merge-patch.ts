/**
 * JSON merge patch (RFC 7386): what kubectl sends for apply, edit, label, annotate and
 * `patch --type merge` on this group, since the kinds are not in kubectl's built-in scheme.
 * Objects merge key by key, `null` deletes a key, anything else (arrays included) replaces.
 * Keys are client data: a `__proto__` or `constructor` key is merged as an own property (an unknown
 * field for field validation to judge), never through the prototype chain.
 */
import { ownValue, setOwn } from "../../../kinds/own-keys.ts";

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** `target` with `patch` applied (neither argument is modified). */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else setOwn(out, key, applyMergePatch(ownValue(out, key), value));
  }
  return out;
}
