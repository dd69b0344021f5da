/**
 * A cap on how deeply a request body may nest. Every later step (patching, field validation,
 * conversion, structured cloning) walks objects recursively, so a body of 100,000 nested `[` would
 * overflow the stack somewhere in the middle of a request. Bodies are checked once, right after
 * parsing and without recursion, and refused with a 400 naming the limit. Kubernetes objects are a
 * few dozen levels deep; Go's encoding/json, which kube-apiserver decodes with, stops at 10,000.
 */

/** The deepest nesting of arrays and objects a request body may have. */
export const MAX_BODY_DEPTH = 1000;

/** Whether `value` nests arrays/objects more than `max` levels deep (iterative: no recursion). */
export function exceedsDepth(value: unknown, max = MAX_BODY_DEPTH): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== "object") continue;
    if (depth > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (child !== null && typeof child === "object") stack.push([child, depth + 1]);
    }
  }
  return false;
}

/** The fixed message of the 400 for a body nested too deeply. */
export const TOO_DEEP_MESSAGE = `the request body is nested too deeply (more than ${MAX_BODY_DEPTH} levels of objects and arrays)`;
