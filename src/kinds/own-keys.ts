/**
 * Own-property access for objects built from client input. Keys such as `__proto__`,
 * `constructor` and `prototype` are ordinary data to Kubernetes (unknown fields, or map keys that
 * validation judges), so every walk over client-chosen keys reads only own properties and writes
 * with `Object.defineProperty`: `obj[key] = v` with key `__proto__` would replace the object's
 * prototype, and `obj[key]` with key `constructor` would read `Object.prototype.constructor`.
 */

/** Whether `obj` has `key` as an own property (inherited members such as `constructor` do not count). */
export function hasOwnKey(obj: object, key: string): boolean {
  return Object.hasOwn(obj, key);
}

/** The own property `key` of `obj`, or undefined; never an inherited member. */
export function ownValue(obj: object, key: string): unknown {
  return Object.hasOwn(obj, key) ? (obj as Record<string, unknown>)[key] : undefined;
}

/** Sets `key` on `obj` as a plain own data property, whatever the key is (no prototype setter runs). */
export function setOwn(obj: object, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
}
