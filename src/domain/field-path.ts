/**
 * Kubernetes-style field paths ("spec.ingressPorts[0].port"), the `field` of every FieldViolation.
 * Both the backend's ValidationDetails and the API server's `Status.details.causes` show them to users
 * as is, so they must match what `kubectl` users know from built-in kinds.
 */

/** Joins path segments with dots: ["spec", "serviceRef"] → "spec.serviceRef". */
export function dotted(path: readonly string[]): string {
  return path.join(".");
}

/** A child field: child("spec.serviceRef", "kind") → "spec.serviceRef.kind". */
export function child(base: string, key: string): string {
  return base ? `${base}.${key}` : key;
}

/** A list element: item("spec.ingressPorts", 0) → "spec.ingressPorts[0]". */
export function item(base: string, index: number): string {
  return `${base}[${index}]`;
}
