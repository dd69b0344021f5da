import type { KubeObject } from "../model.ts";

/**
 * Read access to the current objects (including the not yet committed writes of the same batch)
 * that stateful validation rules need: references, uniqueness, ownership, blocked deletes.
 */
export interface StateView {
  get(kind: string, namespace: string, name: string): KubeObject | undefined;
  /** All objects of a kind. */
  list(kind: string): Iterable<KubeObject>;
}
