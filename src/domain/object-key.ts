/**
 * Splitting "namespace/name" keys back into parts, for state lookups driven by keys collected from
 * references. Kept apart from `objectKey` in the model because only validation needs the inverse.
 */

/** {namespace, name} of a "namespace/name" key; undefined for keys without a namespace. */
export function splitKey(key: string): { namespace: string; name: string } | undefined {
  const i = key.indexOf("/");
  if (i <= 0 || i === key.length - 1) return undefined;
  return { namespace: key.slice(0, i), name: key.slice(i + 1) };
}
